"""B-cell kinetics from deuterium labelling (Macallan et al. 2005).

The measured proliferation rates are taken as turnover (loss) rates, as at steady state
proliferation balances loss.
"""

from cartsim.model import Parameter, ParameterSet

Macallan2005 = ParameterSet(
    "Macallan2005",
    (
        Parameter("bcell_naive_loss", 0.0046, "1/day", "Macallan2005", description="naive B-cell turnover (0.46 %/day)"),
        Parameter("bcell_memory_loss", 0.0266, "1/day", "Macallan2005", description="memory B-cell turnover (2.66 %/day)"),
    ),
)
