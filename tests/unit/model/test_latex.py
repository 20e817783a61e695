"""The equations page is generated from the model itself."""

from cartsim.model.latex import model_markdown


def test_equations_page_lists_every_state_and_parameter(model):
    text = model_markdown(model)
    for s in model.states:
        assert rf"\frac{{d\,\mathrm{{{s.name.replace('_', chr(92) + '_')}}}}}{{dt}}" in text
    for p in model.parameters:
        assert f"`{p.name}`" in text
    assert model.hash in text
