"""The autoreactive lineage, the immune reset, CNS B cells and autoimmune disease activity:
parameters without a published value. Each says why its number was chosen; the calibrated
ones name the target they reproduce (``cartsim validate``).
"""

from cartsim.model import LogNormal, Parameter, ParameterSet

_SHARE = (0.0, 1.0)

AutoimmuneAssumptions = ParameterSet(
    "AutoimmuneAssumptions",
    (
        # The immune reset (hypothesis): the default is the preset 'reset-partial'.
        Parameter(
            "reset_strength",
            0.9,
            "1",
            bounds=_SHARE,
            source="assumption (hypothesis, preset reset-partial): lupus stays in drug-free remission after naive B cells "
            "return (Mackensen2022; Muller2024: all 8 through follow-up), which rebuilding the clones from the naive "
            "repertoire as fast as memory in general (reset-none) contradicts; the data cannot tell partial from full, "
            "and partial, which keeps a slow re-priming, is the cautious long-term default (muller2024 target)",
        ),
        Parameter(
            "autoreactive_regrowth_rate",
            0.0266,
            "1/day",
            "assumption: surviving clones re-expand at most as fast as memory B cells divide (2.66 %/day, Macallan2005)",
        ),
        Parameter(
            "autoreactive_memory_clones",
            1e5,
            "1",
            bounds=(1.0, 1e9),
            variability=LogNormal(2.3),
            source="assumption: pathogenic memory clones are a rare share (~1e-5) of the body's ~1e10 memory B cells; "
            "an order of magnitude between patients, so in some of them clones survive deep depletion "
            "(a myositis relapse 9 months after CD19 CAR-T has been reported)",
        ),
        # Where clones survive antibodies: lymphoid follicles (the difference between CAR-T and anti-CD20)
        Parameter(
            "follicular_share",
            0.1,
            "1",
            bounds=_SHARE,
            source="assumption: a tenth as many autoreactive clonal cells in lymphoid follicles (germinal centres, "
            "follicular memory niches) as recirculate through tissue; sets how many cells a clone keeps where "
            "antibodies barely act",
        ),
        Parameter(
            "follicular_exchange",
            0.005,
            "1/day",
            "assumption: follicle-resident memory cells leave and are replaced over about 200 days (tissue-resident "
            "memory persists for months); slow enough that the niche outlasts months of anti-CD20",
        ),
        Parameter(
            "follicular_antibody_access",
            0.005,
            "1",
            bounds=_SHARE,
            source="assumption: anti-CD20 leaves lymph-node B cells in patients without blood B cells (Kamburova2013; "
            "Tur2024; Tur2025: 11 of 12 after protein-based depleters) while CD19 CAR T cells clear them (Tur2024, "
            "12 of 12 in Tur2025); at 0.5 % of the tissue killing about 40 % of follicular clones persist under "
            "continuous ocrelizumab",
        ),
        # CNS B cells
        Parameter(
            "bcell_cns_resident_share",
            0.15,
            "1",
            bounds=_SHARE,
            source="assumption: the share of CSF B cells that anti-CD20 cannot remove; calibrated to CSF B cells -86 % "
            "at week 12 of ocrelizumab (OBOE2018; -95 % on rituximab, Cross2010)",
        ),
        Parameter(
            "bcell_cns_resident_turnover",
            0.001,
            "1/day",
            "assumption: compartmentalised B cells persist for years (intrathecal IgG and oligoclonal bands persist "
            "under rituximab, Cross2010)",
        ),
        Parameter(
            "bcell_cns_resident_antibody_access",
            0.01,
            "1",
            bounds=_SHARE,
            source="assumption: antibodies at ~0.1 % of serum, with little complement and few effector cells, barely "
            "reach meningeal infiltrates (Rubenstein2003; Cross2010)",
        ),
        Parameter("cns_bcell_count", 0.2, "cells/uL", "assumption: CSF holds a few cells per uL in MS, a few percent of them B cells"),
        Parameter(
            "cns_plasma_cell_count",
            0.2,
            "cells/uL",
            "assumption (hypothesis): the plasma cells of the meninges and CSF that make intrathecal IgG, as many per uL "
            "CSF as B cells; not measured",
        ),
        # Autoantibody sources (lupus anti-dsDNA by default; NMOSD and myasthenia change them)
        Parameter(
            "autoantibody_share_pc_cd19",
            0.5,
            "1",
            bounds=_SHARE,
            source="assumption: anti-dsDNA persists under rituximab (Anolik2004) yet seroconverts after CD19 CAR-T "
            "(Mackensen2022): most of it from CD19+ plasma cells, which CD20 antibodies spare and CD19 CAR-T kills",
        ),
        Parameter(
            "autoantibody_share_llpc",
            0.1,
            "1",
            bounds=_SHARE,
            source="assumption: a small share from CD19- long-lived plasma cells, which CD19 CAR-T spares "
            "(anti-dsDNA negative after CD19 CAR-T, Mackensen2022)",
        ),
        # Disease activity of lupus (defaults), NMOSD and myasthenia (population changes)
        Parameter(
            "flare_bcell_share",
            0.95,
            "1",
            bounds=_SHARE,
            source="assumption: nearly all lupus flares need the autoreactive lineage: no flare in 15 months of "
            "follow-up without treatment after CD19 CAR-T (Muller2024)",
        ),
        Parameter(
            "drive_antibody_share",
            0.5,
            "1",
            bounds=_SHARE,
            source="assumption: lupus activity follows autoantibodies (immune complexes) and autoreactive B cells "
            "(antigen presentation) alike",
        ),
        Parameter(
            "drive_delay",
            28.0,
            "day",
            bounds=(1.0, 365.0),
            source="assumption: clinical activity follows the drive within weeks (organ inflammation resolves)",
        ),
        Parameter(
            "disease_score_baseline", 10.0, "1", bounds=(0.0, 100.0), source="assumption: SLEDAI-2K around 10 in refractory lupus cohorts"
        ),
        Parameter(
            "disease_score_bcell_share",
            0.9,
            "1",
            bounds=_SHARE,
            source="assumption: most of the score reflects active, B-cell-driven disease; the rest is damage",
        ),
    ),
)
