"""Introductions for the six G2MC domain pages (the pages themselves come from a migration)."""

DOMAIN_INTRODUCTIONS = {
    "communications": (
        "<p>Genomic results reach patients through conversations: before a test, when a "
        "result comes back, and when relatives need to know. Courses here help nurses, "
        "pharmacists and doctors explain genetic information in plain language, check "
        "understanding, talk about uncertainty, and support families to share results.</p>"
    ),
    "education": (
        "<p>Every clinician can do some genomic medicine. Courses here build the everyday "
        "skills first: taking a family history, spotting the red flags of an inherited "
        "condition, and knowing when and how to refer, whatever the size of the clinic.</p>"
    ),
    "evidence": (
        "<p>A genomic test result is a judgement built from evidence. Courses here show how "
        "laboratories classify variants, what the classes mean for patient care, and how to "
        "act safely on a <i>variant of uncertain significance</i>.</p>"
    ),
    "it-bioinformatics": (
        "<p>Genomic medicine runs on data that must move safely between sequencers, "
        "laboratories, health records and researchers. Courses here introduce the file "
        "formats, GA4GH standards and HL7 FHIR resources that make that possible, for "
        "clinicians and informaticians alike.</p>"
    ),
    "pharmacogenomics": (
        "<p>Some of the most immediate benefits of genomics are at the pharmacy counter: a "
        "single genotype can prevent a life-threatening drug reaction or guide a dose. "
        "Courses here start with HLA testing to prevent Stevens-Johnson syndrome and toxic "
        "epidermal necrolysis, and follow CPIC guidance throughout.</p>"
    ),
    "policy": (
        "<p>Genomic medicine needs more than laboratories: consent that patients understand, "
        "rules for sharing data, a trained workforce, and sustainable funding. Courses here "
        "cover consent and data sharing, and how countries build national genomic-medicine "
        "strategies.</p>"
    ),
}
