"""Parameters of the anti-CD20 antibody modules without a published value, and one with a
published value that has no parameter file of its own yet (the CSF/serum ratio).

Each assumption's source says why its number was chosen; the calibrated ones name the
clinical number they reproduce (checked in ``tests/reference``).
"""

from cartsim.model import Parameter, ParameterSet

_RATIO = (0.0, 1.0)

AntiCD20Assumptions = ParameterSet(
    "AntiCD20Assumptions",
    (
        # Exposure of compartments other than serum (shared by all IgG antibodies).
        Parameter(
            "antibody_cns_ratio",
            0.001,
            "1",
            "Rubenstein2003",
            bounds=_RATIO,
            description="CSF/serum concentration ratio of IgG antibodies (rituximab CSF levels ~0.1 % of serum)",
        ),
        # Ocrelizumab.
        Parameter(
            "ocr_tdcl_reference_concentration",
            0.01,
            "ug/mL",
            "assumption: far below ocrelizumab troughs, so the time-dependent clearance declines from the "
            "first dose as in Gibiansky2021, and not at all without drug",
        ),
        Parameter(
            "ocr_reference_weight",
            70.0,
            "kg",
            bounds=(1.0, 300.0),
            source="assumption: Gibiansky2021's reference weight was not found; 70 kg is cartsim's typical "
            "patient, who then gets the published typical values",
        ),
        Parameter(
            "ocr_clearance_weight_exponent",
            0.75,
            "1",
            bounds=(0.0, 2.0),
            source="assumption: allometric exponent (Gibiansky2021's estimate not found); reproduces the "
            "published AUC +26 % under 60 kg and -21 % over 90 kg versus 60-90 kg (tests/reference)",
        ),
        Parameter(
            "ocr_volume_weight_exponent",
            1.0,
            "1",
            bounds=(0.0, 2.0),
            source="assumption: allometric exponent of volumes (Gibiansky2021's estimate not found)",
        ),
        Parameter(
            "ocr_kmax",
            2.0,
            "1/day",
            "assumption: maximal antibody-driven death rate, close to Yu2022's kout x Emax for ofatumumab (1.97/day); "
            "blood CD19+ falls below 10 cells/uL within days of 300 mg (Saldivar2023: by 2 weeks)",
        ),
        Parameter(
            "ocr_ec50",
            0.2,
            "ug/mL",
            "assumption: sub-ug/mL potency of anti-CD20 IgG1 (in vitro CDC/ADCC 0.1-1 ug/mL); with rtx_ec50 it "
            "puts CD19+ return after rituximab 2 x 1000 mg at ~8.5 months, before the 9.7-month mean re-dosing "
            "interval of an MS/NMOSD cohort",
        ),
        Parameter(
            "ocr_tissue_ratio",
            0.3,
            "1",
            bounds=_RATIO,
            source="assumption: interstitial/serum IgG ratio in lymphoid tissue of roughly 0.3 (tissue IgG "
            "~10-15 % of plasma spread over an interstitial fraction of ~0.3-0.5)",
        ),
        # Ofatumumab.
        Parameter(
            "ofa_molecular_weight",
            146_000.0,
            "g/mol",
            bounds=(1e4, 1e6),
            source="assumption: ~146 kDa (Kesimpta label) converts Yu2022's CD20 amounts in nmol/L to "
            "drug-equivalent mg/L; the value Yu2022 used is not stated in the model transcription",
        ),
        Parameter(
            "ofa_synthesis_reference_concentration",
            0.001,
            "ug/mL",
            "assumption: far below ofatumumab troughs, so CD20 synthesis declines from the first dose as in "
            "Yu2022, and not at all without drug",
        ),
        Parameter(
            "ofa_tissue_ratio",
            1.0,
            "1",
            bounds=_RATIO,
            source="assumption: Yu2022 fitted lysis of blood B cells at the free serum concentration; here blood "
            "counts mirror the recirculating tissue pool, which must see that concentration for the fitted "
            "lysis to act (SC ofatumumab also reaches lymph nodes through the lymphatics); gives >= 90 % of "
            "virtual patients below 40 B cells/uL at week 2 (95-96 % observed, Kesimpta SmPC)",
        ),
        Parameter(
            "ofa_concentration_floor",
            1e-9,
            "ug/mL",
            "assumption: numerical floor of the concentration in the lysis term, far below any effect (a rate "
            "of ~1e-19/day), so that the fractional power and its analytic Jacobian stay finite without drug",
        ),
        # Rituximab.
        Parameter(
            "rtx_kmax",
            2.0,
            "1/day",
            "assumption: type I anti-CD20 IgG1 like ocrelizumab (CDC and ADCC), same maximal death rate; "
            "Chen 2024 estimated 5.1/day in children with nephrotic syndrome (RSE > 80 %)",
        ),
        Parameter(
            "rtx_ec50",
            0.2,
            "ug/mL",
            "assumption: type I anti-CD20 IgG1 like ocrelizumab, same potency; gives CD19+ return (20 cells/uL) "
            "~8.5 months after 2 x 1000 mg, before the 9.7-month mean re-dosing interval of an MS/NMOSD cohort",
        ),
        Parameter(
            "rtx_tissue_ratio",
            0.3,
            "1",
            bounds=_RATIO,
            source="assumption: interstitial/serum IgG ratio in lymphoid tissue, as for ocrelizumab",
        ),
    ),
)
