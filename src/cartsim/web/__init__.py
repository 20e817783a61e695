"""A local web explorer for people with MS and their neurologists (``cartsim serve``).

It asks for a situation and the options to compare, runs the virtual trial that answers it
(:mod:`cartsim.web.request`, :mod:`cartsim.web.answer`) and shows the answer in plain
language and figures; the modeller's view shows the scenario behind it. Research tool, not
medical advice.
"""
