"""The shipped graders, one module per exercise notebook: `ex01_neuron.py` grades
`exercises/01_neuron.ipynb`. Each defines `suite = Suite("01_neuron", ...)`; see AUTHORING.md."""
