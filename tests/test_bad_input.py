"""Bad input gets a message that names the argument, what was expected and what came."""
import numpy as np
import pytest

from nnlessons import MLP, data, fit, losses
from nnlessons.neuron import weighted_sum
from nnlessons.training import minibatches


def test_wrong_number_of_features():
    net = MLP([2, 3, 1])
    with pytest.raises(ValueError, match=r"X must have shape \(n_examples, 2\).*got shape \(4, 3\)"):
        net.forward(np.zeros((4, 3)))


def test_weights_that_do_not_fit_the_inputs():
    with pytest.raises(ValueError, match=r"weights must have 3 rows.*X has shape \(1, 3\).*\(2,\)"):
        weighted_sum([1.0, 2.0, 3.0], [1.0, 2.0], 0.0)


def test_non_finite_input_says_where():
    X = np.zeros((3, 2))
    X[1, 0] = np.nan
    with pytest.raises(ValueError, match=r"X must hold only finite numbers; found nan at index \(1, 0\)"):
        MLP([2, 1]).forward(X)


def test_text_instead_of_numbers():
    with pytest.raises(TypeError, match="X must be numbers"):
        MLP([2, 1]).forward([["a", "b"]])


def test_label_out_of_range():
    probs = np.full((3, 4), 0.25)
    with pytest.raises(ValueError, match=r"labels must be in the range 0..3 for 4 classes; found 7 at index 2"):
        losses.categorical_cross_entropy(probs, [0, 1, 7])
    net = MLP([2, 3, 4], ["relu", "softmax"])
    with pytest.raises(ValueError, match=r"targets must be in the range 0..3.*found -1"):
        fit(net, np.zeros((2, 2)), [0, -1], epochs=1)


def test_binary_labels_must_be_0_or_1():
    with pytest.raises(ValueError, match=r"labels must be 0 or 1; found 2.0"):
        losses.binary_cross_entropy([[0.5]], [[2.0]])


def test_probabilities_must_be_in_0_1():
    with pytest.raises(ValueError, match=r"probabilities must be probabilities in \[0, 1\]; found 1.5"):
        losses.binary_cross_entropy([[1.5]], [[1.0]])


def test_shapes_of_outputs_and_targets_must_match():
    with pytest.raises(ValueError, match=r"outputs and targets must have the same shape; got outputs \(3, 1\) and targets \(3,\)"):
        losses.mse(np.zeros((3, 1)), np.zeros(3))


def test_loss_that_does_not_fit_the_output_layer():
    net = MLP([2, 3, 2], ["relu", "sigmoid"])
    with pytest.raises(ValueError, match="'cross_entropy' needs a softmax output layer.*'sigmoid'"):
        net.loss_and_gradients(np.zeros((1, 2)), [1], "cross_entropy")
    with pytest.raises(ValueError, match="loss must be one of mse, binary_cross_entropy, cross_entropy"):
        net.loss(np.zeros((1, 2)), [[0.0, 1.0]], "hinge")


def test_weights_file_of_another_architecture(tmp_path):
    path = tmp_path / "small.npz"
    MLP([2, 3, 1]).save(path)
    with pytest.raises(ValueError, match=r"holds a network with sizes \[2, 3, 1\].*this network has sizes \[2, 4, 1\]"):
        MLP([2, 4, 1]).load(path)


def test_a_file_that_is_not_a_weights_file(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, something=np.zeros(3))
    with pytest.raises(ValueError, match="is not a weights file written by MLP.save"):
        MLP([2, 1]).load(path)


def test_network_description_errors():
    with pytest.raises(ValueError, match="sizes must list at least two whole numbers"):
        MLP([2])
    with pytest.raises(ValueError, match="activation must be one name or a list of 2 names"):
        MLP([2, 3, 1], ["relu"])
    with pytest.raises(ValueError, match="unknown activation 'sigmod'; expected one of sigmoid"):
        MLP([2, 1], "sigmod")
    with pytest.raises(ValueError, match="softmax can only be the output layer"):
        MLP([2, 3, 2], ["softmax", "softmax"])


def test_training_settings_are_checked():
    net = MLP([2, 1], "sigmoid")
    X, y = data.xor()
    for kwargs, message in [({"epochs": 0}, "epochs must be a whole number >= 1"),
                            ({"batch_size": 2.5}, "batch_size must be a whole number >= 1"),
                            ({"learning_rate": -1}, "learning_rate must be a positive number"),
                            ({"l2": float("nan")}, "l2 must be a number >= 0"),
                            ({"patience": 3}, "patience .* needs validation data")]:
        with pytest.raises(ValueError, match=message):
            fit(net, X, y, loss="binary_cross_entropy", **kwargs)
    with pytest.raises(ValueError, match="batch_size must be a whole number >= 1; got 0"):
        list(minibatches(X, y, 0))


def test_seed_must_be_an_int_or_generator():
    with pytest.raises(TypeError, match="seed must be an int or a numpy.random.Generator; got str"):
        data.two_moons(seed="0")


def test_data_sizes_are_checked():
    with pytest.raises(ValueError, match="n must be a whole number >= 2; got 0"):
        data.two_moons(0)
    with pytest.raises(ValueError, match="test_fraction must be between 0 and 1"):
        data.train_test_split(np.zeros((4, 1)), np.zeros(4), 1.5)


def test_one_dimensional_inputs_are_refused_with_the_shape_given():
    """Five numbers could be five examples of one feature or one example of five: say so, as
    scikit-learn does, instead of guessing."""
    net = MLP([1, 3, 1])
    message = (r"X must be 2-D, one example per row, shape \(n_examples, 1\); got a 1-D array "
               r"of shape \(5,\)\. Use X\.reshape\(-1, 1\) if it holds one feature of many "
               r"examples, or X\.reshape\(1, -1\) if it is a single example")
    for call in (lambda X: net.forward(X), lambda X: net.predict(X),
                 lambda X: net.loss(X, np.zeros(5), "mse"),
                 lambda X: net.loss_and_gradients(X, np.zeros(5), "mse"),
                 lambda X: fit(net, X, np.zeros(5), loss="mse", epochs=1)):
        with pytest.raises(ValueError, match=message):
            call(np.arange(5.0))
    assert net.forward(np.arange(5.0).reshape(-1, 1)).shape == (5, 1)


def test_learning_rate_schedules_are_checked():
    from nnlessons.training import decay
    X, y = data.xor()
    net = MLP([2, 3, 1])
    with pytest.raises(ValueError, match=r"learning_rate must be a positive number \(the "
                                         r"schedule's rate for epoch 3\); got -0.5"):
        fit(net, X, y, epochs=5, learning_rate=lambda epoch: 1.0 if epoch < 3 else -0.5)
    with pytest.raises(ValueError, match=r"factor must be in \(0, 1\]"):
        decay(0.1, 1.5)
    with pytest.raises(ValueError, match="learning_rate must be a positive number; got 0"):
        decay(0, 0.9)


def test_replaced_derivatives_are_checked():
    with pytest.raises(ValueError, match=r"derivatives replaces 'tanh', but this network's "
                                         r"activations are \['sigmoid'\]"):
        MLP([2, 1], "sigmoid", derivatives={"tanh": np.cos})
    with pytest.raises(ValueError, match="softmax's derivative cannot be replaced"):
        MLP([2, 3], "softmax", derivatives={"softmax": np.cos})
    with pytest.raises(TypeError, match=r"derivatives\['sigmoid'\] must be a function of the "
                                        r"output a; got float"):
        MLP([2, 1], "sigmoid", derivatives={"sigmoid": 0.25})


def test_numerical_gradient_needs_an_array_it_may_nudge():
    from nnlessons.calculus import numerical_gradient
    frozen = np.zeros(3)
    frozen.setflags(write=False)
    with pytest.raises(ValueError, match=r"params must be a writable array.*params\.copy\(\)"):
        numerical_gradient(np.sum, frozen)
    assert numerical_gradient(np.sum, [1, 2]).tolist() == pytest.approx([1.0, 1.0])  # a copy


def test_accuracy_says_when_labels_do_not_fit():
    from nnlessons.training import accuracy
    net = MLP([2, 3, 2], ["relu", "softmax"])
    with pytest.raises(ValueError, match=r"y must hold one label per example of X, shape "
                                         r"\(4,\); got shape \(3,\)"):
        accuracy(net, np.zeros((4, 2)), [0, 1, 1])
