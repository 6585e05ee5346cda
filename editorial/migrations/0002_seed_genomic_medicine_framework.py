"""Seed the Allele genomic-medicine competency framework (written for this project).

Safe to run on a database that already has it: competencies are matched by framework and
code and only missing ones are added; reversing removes only the seeded framework.
"""

from django.db import migrations

FRAMEWORK = {
    "name": "Allele genomic medicine competencies",
    "version": "1",
    "source": "Written for the Allele project by its editorial team (2026); free to reuse.",
    "description": (
        "What health professionals outside genetics services need to do with genomic "
        "information, grouped in six areas (family history and risk, test selection and "
        "consent, interpreting results, pharmacogenomics, communication, data and ethics) "
        "and graded foundation, intermediate and advanced."
    ),
}

# (code, profession, level, title, description)
COMPETENCIES = [
    ("FH.1", "all", "foundation", "Take a three-generation family history",
     "Record relatives on both sides, their conditions and ages at diagnosis, ancestry and "
     "consanguinity, using standard pedigree symbols."),
    ("FH.2", "all", "foundation", "Recognise red flags for an inherited condition",
     "Notice early onset, several affected relatives, bilateral or multiple primary cancers "
     "and sudden unexplained deaths in the young."),
    ("FH.3", "physician", "intermediate", "Estimate familial risk and decide on referral",
     "Apply referral criteria (for example for familial breast, bowel or cardiac conditions) "
     "and explain the resulting risk band."),
    ("FH.4", "nurse", "intermediate", "Use family history in routine care",
     "Update family histories at review visits and flag changes that alter a patient's risk."),
    ("TS.1", "all", "foundation", "Tell genomic tests apart",
     "Distinguish single-gene, panel, exome and genome tests, and diagnostic, predictive "
     "and carrier testing, by what each can and cannot answer."),
    ("TS.2", "physician", "intermediate", "Choose the test that answers the clinical question",
     "Select the test and sample, knowing the limits of each and when to ask the laboratory "
     "or a genetics service first."),
    ("TS.3", "all", "intermediate", "Obtain informed consent for genomic testing",
     "Cover purpose, possible results including uncertain and incidental findings, "
     "implications for relatives, data use and the right to decline."),
    ("IR.1", "all", "foundation", "Read a genomic test report",
     "Find the variant, gene, zygosity and classification, and what the laboratory "
     "recommends."),
    ("IR.2", "all", "intermediate", "Act appropriately on a variant of uncertain significance",
     "Do not change management on a VUS alone; explain it plainly and arrange for "
     "reclassification to reach the patient."),
    ("IR.3", "laboratory_scientist", "advanced", "Classify variants with the ACMG/AMP criteria",
     "Weigh population, computational, functional and segregation evidence and document "
     "the classification and its reasons."),
    ("IR.4", "genetic_counsellor", "advanced", "Plan cascade testing for relatives",
     "Identify at-risk relatives from a pathogenic result and support the family in "
     "informing them."),
    ("PGx.1", "all", "foundation", "Explain how genes change drug response",
     "Describe metabolism, transport and immune-mediated mechanisms with common examples."),
    ("PGx.2", "pharmacist", "intermediate", "Screen for HLA-B*15:02 before carbamazepine",
     "Know which ancestries carry the allele most often, test before starting, and choose "
     "another drug when it is present."),
    ("PGx.3", "pharmacist", "intermediate", "Screen for HLA-B*58:01 before allopurinol",
     "Recognise the risk of severe cutaneous reactions and act on the result before the "
     "first dose."),
    ("PGx.4", "physician", "intermediate", "Use CYP2C19 results when prescribing clopidogrel",
     "Choose another antiplatelet for poor and intermediate metabolisers as guidelines "
     "recommend."),
    ("PGx.5", "pharmacist", "advanced", "Apply CPIC guidelines in medication review",
     "Translate genotype to phenotype and to a documented prescribing recommendation."),
    ("CC.1", "all", "foundation", "Explain genetic information in plain language",
     "Use everyday words, natural frequencies and teach-back, in the patient's language."),
    ("CC.2", "all", "intermediate", "Communicate risk without bias",
     "Present absolute risks and uncertainty honestly, without frightening or falsely "
     "reassuring."),
    ("CC.3", "genetic_counsellor", "advanced", "Counsel for difficult results",
     "Support patients and families through unexpected, uncertain or life-changing results."),
    ("DE.1", "all", "foundation", "Protect genomic data",
     "Store, share and transfer genomic data only as consent and law allow."),
    ("DE.2", "all", "intermediate", "Recognise ethical issues in genomic medicine",
     "Address equity, access, discrimination and duties to relatives in everyday practice."),
    ("DE.3", "laboratory_scientist", "advanced", "Share variant data responsibly",
     "Submit variants to public databases such as ClinVar with appropriate de-identification."),
]


def seed(apps, schema_editor):
    Framework = apps.get_model("editorial", "CompetencyFramework")
    Competency = apps.get_model("editorial", "Competency")
    framework, _ = Framework.objects.get_or_create(
        name=FRAMEWORK["name"], version=FRAMEWORK["version"],
        defaults={"source": FRAMEWORK["source"], "description": FRAMEWORK["description"]},
    )
    for code, profession, level, title, description in COMPETENCIES:
        Competency.objects.get_or_create(
            framework=framework, code=code,
            defaults={"profession": profession, "level": level, "title": title,
                      "description": description},
        )


def unseed(apps, schema_editor):
    Framework = apps.get_model("editorial", "CompetencyFramework")
    Framework.objects.filter(name=FRAMEWORK["name"], version=FRAMEWORK["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [("editorial", "0001_library")]
    operations = [migrations.RunPython(seed, unseed)]
