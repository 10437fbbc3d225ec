"""Grader of exercise notebook 05_backprop: the sigmoid's derivative from its output, backprop
through a two-layer network over a batch, the update step and the gradient check's relative
error.

The public tests, shipped for the learner's self-check. Their expected values are stored, not
computed (instructor/expected_values.py computed them once); the hidden tests are the
instructor's (instructor/graders/ex05_backprop.py)."""
import numpy as np

from nnlessons.grading.suite import Suite, ref

# Backprop must be written, not borrowed: the reference network's backward pass (every public
# method that computes gradients goes through MLP._backward) and its loss are taken out.
NO_NETWORK = ["nnlessons.network.MLP._backward", "nnlessons.network.loss_value"]
NO_SIGMOID_PRIME = ["nnlessons.activations.sigmoid_prime", "nnlessons.activations.get",
                    "nnlessons.activations.sigmoid_prime_from_output",
                    "nnlessons.activations.prime_from_output"]
NO_NUMERICAL = ["nnlessons.calculus.numerical_gradient", "nnlessons.calculus.gradient_check"]
suite = Suite("05_backprop", functions=["sigmoid_prime_from_output", "backprop", "update",
                                        "relative_error"], forbidden={
    "sigmoid_prime_from_output": NO_SIGMOID_PRIME,
    "backprop": NO_SIGMOID_PRIME + NO_NETWORK + NO_NUMERICAL,
    "update": ["nnlessons.training.sgd_step"],
    "relative_error": ["nnlessons.calculus.relative_error", "nnlessons.calculus.gradient_check"],
}, hidden_counts={"sigmoid_prime_from_output": 2, "backprop": 6, "update": 2,
                  "relative_error": 3})

NAMES = ("W1", "b1", "W2", "b2")


def arrays(params):
    return {name: np.array(value) for name, value in params.items()}


def check_gradients(expect, got, want, inputs, hint=None):
    """The learner's gradients (a dict) against `want`, form first."""
    want = arrays(want)
    expect.true(isinstance(got, dict), "backprop should return a dict "
                '{"W1": ..., "b1": ..., "W2": ..., "b2": ...}', inputs=inputs)
    missing = [name for name in NAMES if name not in got]
    expect.true(not missing, f"the dict backprop returns has no key {missing[:1]}: it needs "
                f"the keys W1, b1, W2, b2", inputs=inputs)
    for name in NAMES:
        expect.shape(got[name], want[name].shape, inputs=inputs, what=f"the gradient {name}",
                     hint="each gradient has the shape of its parameter: dL/dW = A.T @ delta, "
                          "dL/db = delta.sum(axis=0)")
    for name in ("W2", "b2", "W1", "b1"):  # the last layer first, like backprop itself
        expect.close(got[name], want[name], rtol=1e-6, atol=1e-10, inputs=inputs,
                     what=f"the gradient {name}", hint=hint)


# --- sigmoid_prime_from_output(a) -------------------------------------------------------------

@suite.test(function="sigmoid_prime_from_output", points=2, case="ordinary inputs of another size")
def matches_the_slope_of_sigmoid(student, expect):
    """Given a = sigmoid(z), the slope of the sigmoid at z."""
    # sigmoid([-3, -1, 0, 0.5, 2])
    a = np.array([0.04742587317756679, 0.2689414213699951, 0.5, 0.6224593312018546,
                  0.8807970779778823])
    got = student.sigmoid_prime_from_output(a)
    expect.close(got, [0.045176659730912144, 0.19661193324148185, 0.25, 0.2350037122015945,
                       0.10499358540350662], inputs="a = sigmoid([-3, -1, 0, 0.5, 2])",
                 hint="a * (1 - a), never negative: a * (a - 1) has the sign wrong")


@suite.test(function="sigmoid_prime_from_output", points=1, case="a value exactly at a boundary")
def largest_in_the_middle(student, expect):
    """At a = 0.5 the slope is 0.25; where the neuron is sure (a = 0 or 1) it is 0."""
    a = np.array([0.0, 0.5, 1.0])
    expect.close(student.sigmoid_prime_from_output(a), [0.0, 0.25, 0.0], inputs="a = [0, 0.5, 1]")


@suite.test(function="sigmoid_prime_from_output", points=1, case="a 2-D array: activations")
def slope_of_a_grid(student, expect):
    """A (2, 2) array of activations gives a (2, 2) array of slopes."""
    inputs = "a = [[0.2, 0.5], [0.9, 1]]"
    got = student.sigmoid_prime_from_output(np.array([[0.2, 0.5], [0.9, 1.0]]))
    expect.shape(got, (2, 2), inputs=inputs, hint="a * (1 - a), elementwise, keeps the shape of a")
    expect.close(got, [[0.16000000000000003, 0.25], [0.08999999999999998, 0.0]], inputs=inputs)


@suite.test(function="sigmoid_prime_from_output", points=1, case="your function changed its input")
def activations_left_alone(student, expect):
    """The caller's activations are the same after the call."""
    _, changed = student.sigmoid_prime_from_output.call_checking_inputs(
        np.array([0.3, 0.7, 0.99]))
    expect.unchanged(changed, inputs="a = [0.3, 0.7, 0.99]",
                     hint="a * (1 - a) makes a new array; a *= ... writes into the caller's a")


# --- backprop(X, targets, W1, b1, W2, b2, output="sigmoid") -> dict --------------------------

def xor_network_inputs():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    T = np.array([[0.0], [1.0], [1.0], [0.0]])
    params = arrays({"W1": [[0.8, -0.6, 0.3], [-1.1, 0.9, 0.5]], "b1": [0.1, -0.05, 0.02],
                     "W2": [[1.2], [-0.7], [0.4]], "b2": [0.05]})
    return X, T, params


XOR_GRADIENTS = {
    "W1": [[0.014277899407080475, -0.00784317752161653, 0.0032753340018739177],
           [0.007940874140063373, -0.004026528814208853, 0.0007547673764736309]],
    "b1": [0.022566426249720266, -0.012167092892868976, 0.005190966069383244],
    "W2": [[0.034526319384542065], [0.02585660899879342], [0.033970298411948686]],
    "b2": [0.058406499321824956]}


def forum_gradients(grads, output="sigmoid"):
    """What backprop gives with the forum's slope a(a - 1) = -a(1 - a): with a sigmoid output the
    output layer's delta flips sign and the hidden layer's flips back (two wrong signs); with a
    linear output only the hidden layer's slope is wrong."""
    flipped = ("W2", "b2") if output == "sigmoid" else ("W1", "b1")
    return {name: -np.asarray(value) if name in flipped else np.asarray(value)
            for name, value in grads.items()}


@suite.test(function="backprop", points=3, case="ordinary inputs of another size")
def xor_network(student, expect):
    """A 2-3-1 network with a sigmoid output on the four XOR examples."""
    X, T, params = xor_network_inputs()
    got = student.backprop(X, T, **params)
    check_gradients(expect, got, XOR_GRADIENTS,
        "the 4 XOR examples, a 2-3-1 network, sigmoid output",
        hint="start from dL/dA2 = 2 (A2 - T) / N with N = T.size (a mean, not a sum), multiply "
             "by A2 (1 - A2), then go back with W2.T")


@suite.test(function="backprop", points=2, case="another value of an optional argument")
def forum_slope_handed_in(student, expect):
    """slope= the forum's a(a - 1): backprop must take every sigmoid slope from it."""
    X, T, params = xor_network_inputs()
    got = student.backprop(X, T, **params, slope=ref("nnlessons.grading.functions."
                                                       "forum_sigmoid_slope"))
    check_gradients(expect, got, forum_gradients(XOR_GRADIENTS),
                    "the XOR network of xor_network, with slope=a * (a - 1) handed in",
                    hint="take both layers' sigmoid slopes from the slope argument (slope of "
                         "A2, slope of A1), not from a formula written inside backprop: with "
                         "the forum's slope, W2 and b2 come out backwards and W1, b1 right")


@suite.test(function="backprop", points=2, case="another value of an optional argument")
def linear_output(student, expect):
    """output="identity": the output layer has no activation, so delta2 = dL/dA2."""
    X = np.array([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8]])
    T = np.array([[0.2, -0.4], [1.0, 0.5], [-0.6, 0.3]])
    params = arrays({"W1": [[0.4, -0.9, 0.2], [0.7, 0.3, -0.5]], "b1": [0.05, 0.1, -0.1],
                     "W2": [[1.0, -0.5], [-0.8, 0.6], [0.3, 1.1]], "b2": [0.2, -0.1]})
    got = student.backprop(X, T, **params, output="identity")
    check_gradients(expect, got, {
        "W1": [[-0.03367155069106949, 0.02870125357312935, 0.0010830312030909086],
               [0.07617843040376969, -0.07334473584101664, -0.07369809530719718]],
        "b1": [0.05873117731181298, -0.03251416400436642, 0.09872348372822881],
        "W2": [[0.21570312548641685, 0.09356639137060474],
               [0.24182575435349898, 0.1132210026007106],
               [0.16037016061675866, 0.1765124481984294]],
        "b2": [0.3904143007845301, 0.2826496256193207]},
        "3 examples, a 2-3-2 network, output='identity'",
        hint="with a linear output, A2 = Z2 and delta2 is dL/dA2 = 2 (A2 - T) / T.size itself: "
             "no sigmoid slope at the output (the hidden layer still has one)")


@suite.test(function="backprop", points=1, case="a batch of one example")
def single_example(student, expect):
    """One example through a 2-2-1 network: every array stays two-dimensional."""
    X, T = np.array([[0.5, -1.0]]), np.array([[1.0]])
    params = arrays({"W1": [[0.3, -0.2], [0.6, 0.4]], "b1": [0.1, 0.0], "W2": [[0.7], [-0.5]],
                     "b2": [0.2]})
    check_gradients(expect, student.backprop(X, T, **params), {
        "W1": [[-0.01765145246716312, 0.01221856087257715],
               [0.03530290493432624, -0.0244371217451543]],
        "b1": [-0.03530290493432624, 0.0244371217451543],
        "W2": [[-0.0859720593914542], [-0.07851797063744137]], "b2": [-0.20797221895959903]},
        "X = [[0.5, -1]], T = [[1]], W1 = [[0.3, -0.2], [0.6, 0.4]], b1 = [0.1, 0], "
        "W2 = [[0.7], [-0.5]], b2 = [0.2]",
        hint="keep every array two-dimensional; dL/db sums delta over the examples (axis=0), "
             "even when there is only one")


@suite.test(function="backprop", points=1,
            case="checked against a numerical gradient: a two-layer network")
def sigmoid_network_numerically(student, expect):
    """The expected values are a numerical gradient (central differences, h = 1e-5) of the mean
    squared error, nudging one weight at a time: what a gradient check compares with."""
    X, T = np.array([[1.0, 0.0], [-0.5, 2.0], [0.3, -1.2]]), np.array([[0.9], [0.1], [0.5]])
    params = arrays({"W1": [[0.5, -1.0], [0.8, 0.2]], "b1": [0.0, 0.3], "W2": [[-0.6], [1.1]],
                     "b2": [-0.1]})
    check_gradients(expect, student.backprop(X, T, **params), {
        "W1": [[0.013440456278490663, -0.024118403589568068],
               [-0.013732243980824064, 0.027236546387698898]],
        "b1": [0.0014624933791784753, -0.00013168864193557894],
        "W2": [[0.01903138391323722], [0.038789490353074996]], "b2": [0.01364718691526656]},
        "X = [[1, 0], [-0.5, 2], [0.3, -1.2]], T = [[0.9], [0.1], [0.5]], "
        "W1 = [[0.5, -1], [0.8, 0.2]], b1 = [0, 0.3], W2 = [[-0.6], [1.1]], b2 = [-0.1]; "
        "expected: a numerical gradient of the loss",
        hint="go back layer by layer: delta1 = (delta2 @ W2.T) * A1 (1 - A1); run a gradient "
             "check on your own network to find the layer that is off")


@suite.test(function="backprop", points=1,
            case="very large inputs: very large weighted sums (saturated neurons)")
def saturated_hidden_layer(student, expect):
    """Hidden weighted sums in the hundreds: the slopes there are (almost) 0, never NaN."""
    X, T = np.array([[20.0, -30.0], [-25.0, 10.0]]), np.array([[1.0], [0.0]])
    params = arrays({"W1": [[15.0, -12.0], [8.0, 20.0]], "b1": [0.5, -0.5],
                     "W2": [[0.7], [-0.4]], "b2": [0.1]})
    inputs = ("X = [[20, -30], [-25, 10]], T = [[1], [0]], W1 = [[15, -12], [8, 20]], "
              "b1 = [0.5, -0.5], W2 = [[0.7], [-0.4]], b2 = [0.1] (hidden sums -840 to 500)")
    got = student.backprop(X, T, **params)
    for name in NAMES if isinstance(got, dict) else ():
        expect.finite(got.get(name), what=f"the gradient {name}", inputs=inputs,
                      hint="take the slopes from the activations, A (1 - A), which stay "
                           "finite; do not compute e^z again")
    check_gradients(expect, got, {
        "W1": [[-2.2933807771220759e-128, 0.0], [9.173523108488303e-129, 0.0]],
        "b1": [9.173523108488303e-130, 0.0],
        "W2": [[-0.06631746465553921], [0.10403106386758482]], "b2": [0.037713599212045604]},
        inputs)


@suite.test(function="backprop", points=1, case="your function changed its input")
def backprop_inputs_left_alone(student, expect):
    """X, the targets and the weights are the caller's: the gradients are new arrays."""
    X, T = np.array([[0.2, -0.7], [1.0, 0.4], [-0.6, 0.1]]), np.array([[0.0], [1.0], [0.5]])
    params = arrays({"W1": [[0.9, -0.3], [0.2, 0.5]], "b1": [-0.1, 0.2], "W2": [[0.4], [-1.2]],
                     "b2": [0.3]})
    _, changed = student.backprop.call_checking_inputs(X, T, params["W1"], params["b1"],
                                                       params["W2"], params["b2"])
    expect.unchanged(changed, inputs="3 examples, a 2-2-1 network",
                     hint="build new arrays; do not change X, the targets or the weights in "
                          "place (A -= ..., delta *= ...)")


# --- update(params, grads, learning_rate) -> dict ---------------------------------------------

@suite.test(function="update", points=2, case="ordinary inputs of another size")
def one_step_downhill(student, expect):
    """Each parameter moves by -learning_rate times its gradient."""
    params = arrays({"W1": [[0.5, -0.3], [0.8, 0.1]], "b1": [0.1, -0.2],
                     "W2": [[1.5], [-0.4]], "b2": [0.3]})
    grads = arrays({"W1": [[0.2, 0.1], [-0.4, 0.6]], "b1": [0.05, -0.1],
                    "W2": [[-0.3], [0.2]], "b2": [0.1]})
    got = student.update(params, grads, 0.5)
    expect.true(isinstance(got, dict) and all(name in got for name in NAMES),
                "update should return a dict with the same keys as params",
                inputs="params and grads with the keys W1, b1, W2, b2")
    want = {"W1": [[0.4, -0.35], [1.0, -0.19999999999999998]],
            "b1": [0.07500000000000001, -0.15000000000000002],
            "W2": [[1.65], [-0.5]], "b2": [0.25]}
    for name in NAMES:
        expect.close(got[name], want[name], inputs="learning_rate = 0.5", what=f"the new {name}",
                     hint="w - learning_rate * grad: minus, to step downhill")


@suite.test(function="update", points=1, case="your function changed its input")
def params_left_alone(student, expect):
    """The caller's parameters and gradients are the same after the step."""
    params = arrays({"W1": [[0.1, 0.2]], "b1": [0.0, -0.3], "W2": [[0.5], [0.5]], "b2": [1.0]})
    grads = arrays({"W1": [[1.0, -1.0]], "b1": [0.5, 0.5], "W2": [[0.2], [-0.2]], "b2": [0.3]})
    _, changed = student.update.call_checking_inputs(params, grads, 0.1)
    expect.unchanged(changed, inputs="a 1-2-1 network's params and grads, learning_rate = 0.1",
                     hint="build new arrays (w - lr * g) instead of changing w in place "
                          "(w -= ...)")


# --- relative_error(analytic, numerical) -> float ---------------------------------------------

@suite.test(function="relative_error", points=1, case="a value exactly at a boundary")
def identical_gradients(student, expect):
    """Two equal gradients: 0."""
    g = np.array([0.5, -1.0, 2.0])
    expect.close(student.relative_error(g, g.copy()), 0.0, inputs="analytic = numerical")


@suite.test(function="relative_error", points=1, case="nothing to do: two zero gradients")
def two_zero_gradients(student, expect):
    """Both all zeros: 0.0, not 0 / 0 (the bottom is kept at least 1e-12)."""
    got = student.relative_error(np.zeros(2), np.zeros(2))
    expect.finite(got, inputs="analytic = numerical = [0, 0]",
                  hint="0 / 0 is NaN: keep the bottom of the fraction at least 1e-12")
    expect.close(got, 0.0, inputs="analytic = numerical = [0, 0]")


@suite.test(function="relative_error", points=2, case="a 2-D array")
def twice_and_opposite(student, expect):
    """Twice as long: 1/3. Pointing the opposite way: 1."""
    n = np.array([[0.3, -0.4], [1.2, 0.0]])
    expect.close(student.relative_error(2 * n, n), 0.3333333333333333,
                 inputs="analytic = 2 * numerical",
                 hint="||a - n|| / (||a|| + ||n||): ||n|| / (2||n|| + ||n||) = 1/3; divide by "
                      "the sum of both lengths, not by one of them")
    expect.close(student.relative_error(-n, n), 1.0, inputs="analytic = -numerical")


# --- backprop_tanh(X, targets, W1, b1, W2, b2) -> dict ----------------------------------------
# Past what lesson 05 wrote out: the learner derives tanh's slope. Declared here, after the
# exercises above, so that this exercise is one block.
suite.forbidden["backprop_tanh"] = (NO_SIGMOID_PRIME + NO_NETWORK + NO_NUMERICAL
                                    + ["nnlessons.activations.tanh_prime",
                                       "nnlessons.activations.tanh_prime_from_output"])
suite.hidden_counts["backprop_tanh"] = 4


@suite.test(function="backprop_tanh", points=3,
            case="ordinary inputs of another size: a 2-3-2 network with a tanh hidden layer")
def tanh_network(student, expect):
    """A 2-3-2 network with a tanh hidden layer and a linear output."""
    X = np.array([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8]])
    T = np.array([[0.2, -0.4], [1.0, 0.5], [-0.6, 0.3]])
    params = arrays({"W1": [[0.4, -0.9, 0.2], [0.7, 0.3, -0.5]], "b1": [0.05, 0.1, -0.1],
                     "W2": [[1.0, -0.5], [-0.8, 0.6], [0.3, 1.1]], "b2": [0.2, -0.1]})
    got = student.backprop_tanh(X, T, **params)
    check_gradients(expect, got, {
        "W1": [[0.23373823606296376, -0.08746163222361994, -0.47590481408856083],
               [0.3227330387045707, -0.2821820782850909, -0.4409252437138]],
        "b1": [0.47388007221990575, -0.31376675019137423, -0.3993539659368906],
        "W2": [[0.19775153492535852, -0.5144685573590401],
               [-0.06532018625710583, 0.0801334778669809],
               [-0.06768081742709255, 0.2059080686700262]],
        "b2": [0.4644553892332285, -0.5003492607566739]},
        "3 examples, a 2-3-2 network, tanh hidden layer, linear output",
        hint="the output layer is as in linear_output; if only W1 and b1 are wrong, check "
             "your tanh slope with a gradient check (it is not the sigmoid's a (1 - a))")


@suite.test(function="backprop_tanh", points=1, case="your function changed its input")
def tanh_keeps_its_inputs(student, expect):
    """X, the targets and the weights are the caller's: the gradients are new arrays."""
    X = np.array([[0.5, -1.0], [1.5, 0.2]])
    T = np.array([[0.2], [-0.4]])
    params = arrays({"W1": [[0.4, -0.9], [0.7, 0.3]], "b1": [0.05, 0.1], "W2": [[1.0], [-0.8]],
                     "b2": [0.2]})
    _, changed = student.backprop_tanh.call_checking_inputs(X, T, params["W1"], params["b1"],
                                                            params["W2"], params["b2"])
    expect.unchanged(changed, inputs="2 examples, a 2-2-1 tanh network",
                     hint="build new arrays; do not change X, the targets or the weights in place")


@suite.test(function="backprop_tanh", points=1, case="a batch of one example")
def tanh_single_example(student, expect):
    """One example through a 3-2-2 tanh network."""
    X, T = np.array([[0.4, -0.8, 1.0]]), np.array([[0.5, -0.2]])
    params = arrays({"W1": [[0.2, -0.5], [0.7, 0.1], [-0.3, 0.6]], "b1": [0.05, -0.1],
                     "W2": [[0.9, -0.4], [0.3, 0.8]], "b2": [0.0, 0.1]})
    check_gradients(expect, student.backprop_tanh(X, T, **params), {
        "W1": [[-0.2900370262028393, 0.10644879986827452],
               [0.5800740524056786, -0.21289759973654904],
               [-0.7250925655070981, 0.2661219996706863]],
        "b1": [-0.7250925655070981, 0.2661219996706863],
        "W2": [[0.620450591138271, -0.45012769814510684],
               [-0.21560942096630023, 0.1564214358792214]],
        "b2": [-0.9958033961672164, 0.7224405890233674]},
        "X = [[0.4, -0.8, 1]], T = [[0.5, -0.2]], W1 = [[0.2, -0.5], [0.7, 0.1], [-0.3, 0.6]], "
        "b1 = [0.05, -0.1], W2 = [[0.9, -0.4], [0.3, 0.8]], b2 = [0, 0.1]",
        hint="keep every array two-dimensional; the bias gradients sum over axis 0")


@suite.test(function="backprop_tanh", points=1,
            case="checked against a numerical gradient: a tanh network")
def tanh_network_numerically(student, expect):
    """The expected values are a numerical gradient (central differences, h = 1e-5) of the mean
    squared error of a 2-3-1 tanh network, nudging one weight at a time."""
    X, T = np.array([[1.0, -0.5], [0.2, 0.9], [-1.3, 0.4]]), np.array([[0.3], [-0.7], [1.1]])
    params = arrays({"W1": [[0.6, -0.4, 0.9], [0.1, 0.8, -0.7]], "b1": [0.1, -0.2, 0.0],
                     "W2": [[0.5], [-1.0], [0.7]], "b2": [0.2]})
    check_gradients(expect, student.backprop_tanh(X, T, **params), {
        "W1": [[1.067095681084318, -1.8703343641179868, 0.5126880970207637],
               [-0.29534535890274327, 0.4771528737235186, -0.0706688302543057]],
        "b1": [-0.08955644730246347, 0.4576824165880566, 0.1134931101098857],
        "W2": [[1.549904390030221], [-1.5825975939298684], [2.193401159233943]],
        "b2": [-0.3279079008322583]},
        "X = [[1, -0.5], [0.2, 0.9], [-1.3, 0.4]], T = [[0.3], [-0.7], [1.1]], "
        "W1 = [[0.6, -0.4, 0.9], [0.1, 0.8, -0.7]], b1 = [0.1, -0.2, 0], "
        "W2 = [[0.5], [-1], [0.7]], b2 = [0.2]; expected: a numerical gradient of the loss",
        hint="if only W1 and b1 are off, the tanh slope you derived is: check it with a "
             "gradient check")


@suite.test(function="backprop_tanh", points=1,
            case="very large inputs: very large weighted sums (saturated neurons)")
def tanh_saturated_hidden_layer(student, expect):
    """Hidden weighted sums in the hundreds: tanh is +-1 there and its slope 0, never NaN."""
    X, T = np.array([[25.0, -20.0], [-30.0, 15.0]]), np.array([[0.5], [-1.0]])
    params = arrays({"W1": [[15.0, -12.0], [8.0, 20.0]], "b1": [0.5, -0.5],
                     "W2": [[18.0], [-16.0]], "b2": [0.1]})
    inputs = ("X = [[25, -20], [-30, 15]], T = [[0.5], [-1]], W1 = [[15, -12], [8, 20]], "
              "b1 = [0.5, -0.5], W2 = [[18], [-16]], b2 = [0.1] (hidden sums -700 to 660)")
    got = student.backprop_tanh(X, T, **params)
    for name in NAMES if isinstance(got, dict) else ():
        expect.finite(got.get(name), what=f"the gradient {name}", inputs=inputs,
                      hint="write the slope with tanh's output, which stays between -1 and 1; "
                           "exponentials of huge sums overflow")
    check_gradients(expect, got, {"W1": [[0.0, 0.0], [0.0, 0.0]], "b1": [0.0, 0.0],
                                  "W2": [[66.5], [-66.5]], "b2": [0.7000000000000028]}, inputs)
