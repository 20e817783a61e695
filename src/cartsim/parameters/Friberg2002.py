"""Chemotherapy-induced myelosuppression (Friberg et al. 2002): the system parameters of the transit model.

Values of the paclitaxel-leukocyte fit as encoded in the DDMORE repository entry
DDMODEL00000186 (transcribed in nlmixr2lib as ``Friberg_2002_paclitaxel``): mean transit time
124 h and feedback exponent 0.239; Friberg 2002 found these system parameters consistent
across six drugs.
"""

from cartsim.model import Parameter, ParameterSet

Friberg2002 = ParameterSet(
    "Friberg2002",
    (
        Parameter(
            "neutrophil_transit_time",
            124.0,
            "h",
            "Friberg2002",
            description="mean transit time from proliferating precursor to blood (system parameter, paclitaxel-leukocyte fit)",
        ),
        Parameter(
            "neutrophil_feedback",
            0.239,
            "1",
            "Friberg2002",
            bounds=(0.0, 2.0),
            description="feedback exponent of low blood counts on precursor proliferation",
        ),
    ),
)
