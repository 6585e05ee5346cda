"""Evidence: reading a germline variant report, ACMG/AMP classes and handling a VUS."""

from courses.demo.schema import (
    Course,
    Educator,
    Module,
    case,
    heading,
    key_point,
    objective,
    ref,
    references,
    term,
    text,
)

RICHARDS_2015 = ref(
    "Richards S, Aziz N, Bale S, et al. Standards and guidelines for the interpretation of "
    "sequence variants: a joint consensus recommendation of the American College of Medical "
    "Genetics and Genomics and the Association for Molecular Pathology. Genet Med. "
    "2015;17(5):405-424.",
    doi="10.1038/gim.2015.30",
)
DEN_DUNNEN_2016 = ref(
    "den Dunnen JT, Dalgleish R, Maglott DR, et al. HGVS recommendations for the description "
    "of sequence variants: 2016 update. Hum Mutat. 2016;37(6):564-569.",
    doi="10.1002/humu.22981",
)
KARCZEWSKI_2020 = ref(
    "Karczewski KJ, Francioli LC, Tiao G, et al. The mutational constraint spectrum "
    "quantified from variation in 141,456 humans. Nature. 2020;581(7809):434-443.",
    doi="10.1038/s41586-020-2308-7",
)
LANDRUM_2018 = ref(
    "Landrum MJ, Lee JM, Benson M, et al. ClinVar: improving access to variant "
    "interpretations and supporting evidence. Nucleic Acids Res. 2018;46(D1):D1062-D1067.",
    doi="10.1093/nar/gkx1153",
)
TAVTIGIAN_2018 = ref(
    "Tavtigian SV, Greenblatt MS, Harrison SM, et al. Modeling the ACMG/AMP variant "
    "classification guidelines as a Bayesian classification framework. Genet Med. "
    "2018;20(9):1054-1060.",
    doi="10.1038/gim.2017.210",
)
MANRAI_2016 = ref(
    "Manrai AK, Funke BH, Rehm HL, et al. Genetic misdiagnoses and the potential for health "
    "disparities. N Engl J Med. 2016;375(7):655-665.",
    doi="10.1056/NEJMsa1507092",
)
MERSCH_2018 = ref(
    "Mersch J, Brown N, Pirzadeh-Miller S, et al. Prevalence of variant reclassification "
    "following hereditary cancer genetic testing. JAMA. 2018;320(12):1266-1274.",
    doi="10.1001/jama.2018.13152",
)

MODULE_1 = Module(
    slug="anatomy-of-a-report",
    title="The anatomy of a germline genetic test report",
    summary="Where to find the result, what each column of the variant table means, and the "
            "limitations section that is easy to skip.",
    estimated_minutes=20,
    body=[
        heading("Read the whole report, in order"),
        text("""
<p>Laboratories lay out germline reports differently, but almost all contain the same
sections. Reading them in order prevents the two commonest mistakes: treating a variant of
uncertain significance as a diagnosis, and treating a negative report as proof that a
condition is not genetic.</p>
<ol>
<li><b>Patient, sample and referral details.</b> Check the name, date of birth and sample type.
A result on the wrong patient is a serious incident.</li>
<li><b>Indication and test.</b> Which question was asked (for example "hereditary breast and
ovarian cancer") and which test was done: a single variant, a gene panel, an exome or a
genome. A panel only looks at the genes listed.</li>
<li><b>Result summary.</b> Usually one line: positive (a pathogenic or likely pathogenic
variant explaining the indication), negative (none found), or uncertain (a variant of
uncertain significance).</li>
<li><b>Variant table.</b> Gene, reference transcript, variant in HGVS nomenclature, zygosity,
inheritance and classification.</li>
<li><b>Interpretation.</b> The scientist's summary of the evidence behind the
classification.</li>
<li><b>Recommendations.</b> For example, referral to clinical genetics, testing of relatives,
or surveillance.</li>
<li><b>Methods and limitations.</b> What the test cannot detect.</li>
</ol>
"""),
        heading("Reading a variant line", level="h3"),
        text("""
<p>Take the example line <code>BRCA2 NM_000059.4:c.5946del p.(Ser1982Argfs*22)
heterozygous, pathogenic</code>. The gene is <i>BRCA2</i>. <code>NM_000059.4</code> is the
reference transcript and its version. <code>c.5946del</code> says that one nucleotide at
position 5946 of the coding sequence is deleted. <code>p.(Ser1982Argfs*22)</code> gives the
predicted effect on the protein: serine 1982 becomes arginine, the reading frame shifts, and
a stop codon follows 22 codons later; the parentheses mean the protein change is predicted,
not measured. <i>Heterozygous</i> means one of the two copies carries the variant.</p>
"""),
        key_point("""
<p>A negative result means "no reportable variant was found in what this test examined". Check
the limitations: most panels do not detect every copy-number change, repeat expansion, deep
intronic or mosaic variant, and the genes tested may not match the clinical question. If the
history is strongly suggestive, a negative result does not close the question.</p>
"""),
        term("HGVS nomenclature", "The international standard, maintained by the Human Genome "
             "Variation Society, for writing variants: c. for coding DNA, g. for genomic, p. "
             "for protein."),
        term("Zygosity", "How many copies of a gene carry the variant: heterozygous (one), "
             "homozygous (both), or hemizygous (the only copy, as for X-linked genes in most "
             "males)."),
        references(DEN_DUNNEN_2016, RICHARDS_2015),
    ],
)

MODULE_2 = Module(
    slug="acmg-amp-classes-and-evidence",
    title="The five ACMG/AMP classes and their evidence codes",
    summary="How laboratories weigh population, computational, functional and segregation "
            "evidence to classify a variant.",
    estimated_minutes=25,
    body=[
        heading("Five classes, one scale of confidence"),
        text("""
<p>In 2015 the American College of Medical Genetics and Genomics (ACMG) and the Association for
Molecular Pathology (AMP) published a shared framework that most laboratories worldwide now
use for variants in genes that cause Mendelian disease. It has five classes:</p>
<ul>
<li><b>Pathogenic</b></li>
<li><b>Likely pathogenic</b>: the authors suggested this should mean at least 90% certainty
that the variant causes disease</li>
<li><b>Uncertain significance</b> (VUS)</li>
<li><b>Likely benign</b>: at least 90% certainty that it does not</li>
<li><b>Benign</b></li>
</ul>
<p>"Likely pathogenic" and "pathogenic" variants are usually acted on in the same way for
clinical care and for testing relatives. A VUS is not.</p>
"""),
        heading("The evidence codes"),
        text("""
<p>Each piece of evidence is given a code and a strength. Pathogenic evidence is very strong
(PVS1), strong (PS1-PS4), moderate (PM1-PM6) or supporting (PP1-PP5). Benign evidence is
stand-alone (BA1), strong (BS1-BS4) or supporting (BP1-BP7). Some you will often see:</p>
<ul>
<li><b>PVS1</b>: a null variant (nonsense, frameshift, canonical splice site, whole-exon
deletion) in a gene where loss of function is a known cause of the disease.</li>
<li><b>PS2</b>: a <i>de novo</i> variant, with both parents tested and parentage confirmed, in
a patient with the disease and no family history.</li>
<li><b>PS3 / BS3</b>: well-established functional studies show a damaging / no damaging
effect.</li>
<li><b>PM2</b>: absent from, or extremely rare in, population databases such as gnomAD. (Expert
groups now usually apply it at supporting strength.)</li>
<li><b>PP1 / BS4</b>: the variant does / does not track with disease in the family.</li>
<li><b>PP3 / BP4</b>: computational tools predict a damaging / no effect.</li>
<li><b>BA1</b>: the variant is too common in the population (above 5% allele frequency) to
cause a rare disease. On its own, this makes it benign.</li>
</ul>
<p>Combining rules turn the codes into a class; for example one very strong plus one strong
criterion gives "pathogenic", and one strong plus one or two moderate criteria gives "likely
pathogenic". The framework has since been modelled as a points-based Bayesian system, and
ClinGen expert panels publish gene-specific adaptations.</p>
"""),
        key_point("""
<p>Population data are only as good as their diversity. Variants once called pathogenic for
hypertrophic cardiomyopathy were later shown to be common, benign variants in people of
African ancestry, who had been under-represented in the reference databases. Ask whether the
evidence has been checked against a population like your patient's.</p>
""", title="Watch for ancestry bias"),
        case(
            "A likely pathogenic result in cardiomyopathy",
            """
<p>Ms A., 34, has hypertrophic cardiomyopathy. Her panel report shows a heterozygous frameshift
variant in <i>MYBPC3</i>, classified as <b>likely pathogenic</b> (PVS1, PM2_Supporting,
PP4). Her brother, 29 and well, asks whether he can be tested.</p>
""",
            "Is a likely pathogenic variant enough to offer her relatives predictive testing?",
            """
<p>Yes, in general. A likely pathogenic variant in a gene where loss of function is the known
mechanism is treated as actionable: relatives can be offered predictive (cascade) testing
through a genetics service, and those who do not carry it can usually be spared repeated
cardiac screening. Tell the family that a small chance of reclassification remains, and that
the laboratory should be asked to review the classification if new evidence appears.</p>
""",
        ),
        term("gnomAD", "The Genome Aggregation Database: allele frequencies from hundreds of "
             "thousands of exomes and genomes, used to judge whether a variant is too common to "
             "cause a rare disease."),
        term("ClinVar", "A free public archive, run by the US National Center for Biotechnology "
             "Information, where laboratories submit their variant classifications and the "
             "evidence for them."),
        term("Variant of uncertain significance", "A variant for which there is not enough "
             "evidence to call it pathogenic or benign. It should not change a patient's care "
             "on its own, and it may be reclassified as evidence accumulates.", synonyms="VUS"),
        references(RICHARDS_2015, TAVTIGIAN_2018, KARCZEWSKI_2020, LANDRUM_2018, MANRAI_2016),
    ],
)

MODULE_3 = Module(
    slug="variants-of-uncertain-significance",
    title="Living with uncertainty: variants of uncertain significance",
    summary="Why a VUS should not change care, what to tell the patient, and how "
            "reclassification reaches the clinic.",
    estimated_minutes=20,
    body=[
        heading("What a VUS is, and is not"),
        text("""
<p>A variant of uncertain significance is a variant for which the evidence is insufficient or
conflicting. It is not a "weak positive". Most VUS that are later reclassified are
<b>downgraded</b> to likely benign or benign: in a large study of hereditary cancer testing,
about nine in ten reclassified VUS moved in that direction. VUS are also more frequent in
people whose ancestry is poorly represented in reference databases, which includes most
patients in Africa, South Asia and Southeast Asia.</p>
"""),
        key_point("""
<ul>
<li>Do <b>not</b> use a VUS to make clinical decisions such as risk-reducing surgery.</li>
<li>Manage the patient on her personal and family history, exactly as if no variant had been
found.</li>
<li>Do <b>not</b> offer predictive testing of the VUS to healthy relatives; a relative's
result would be just as uncertain.</li>
</ul>
""", title="Three rules for a VUS"),
        heading("Explaining a VUS"),
        text("""
<p>Patients often hear "variant" as "mutation". It helps to say: "The test found a change in
the gene that we do not yet understand. Most changes like this turn out to be harmless. For
now, we will look after you based on your own and your family's history, and we will let you
know if the laboratory learns more." Write down who will be told about a reclassification,
and how: the laboratory, the ordering clinician, or the patient herself. Keep the patient's
contact details current.</p>
"""),
        heading("When can relatives help?", level="h3"),
        text("""
<p>Testing <b>affected</b> relatives can sometimes help the laboratory: if the VUS is absent in
a relative with the same cancer, that is evidence against it. This is a request from the
laboratory or the genetics team, done with consent, and its purpose is to classify the
variant, not to predict anyone's risk.</p>
"""),
        case(
            "A sister asks for testing",
            """
<p>Mrs N., 41, was diagnosed with breast cancer at 38. Her panel test found a missense VUS in
<i>BRCA2</i>; no pathogenic variant was found. Her healthy sister, 45, asks you to order the
same test "for the BRCA2 change" so she can decide about surgery.</p>
""",
            "What do you advise the sister?",
            """
<p>Explain that testing her for the VUS would not tell her anything useful: whether she has it
or not, her risk is judged on the family history. Mrs N.'s diagnosis at 38 may itself make
the sister eligible for extra breast surveillance or for a genetics assessment in her own
right, which should be offered. Surgery should not be based on a VUS. Make sure the family
knows how they will hear if the variant is reclassified.</p>
""",
        ),
        term("Reclassification", "A change in a variant's class as evidence accumulates. "
             "Laboratories should issue an amended report; the clinician who ordered the test "
             "usually passes it on."),
        references(RICHARDS_2015, MERSCH_2018, MANRAI_2016),
    ],
)

COURSE = Course(
    domain="evidence",
    slug="reading-a-variant-report",
    title="Reading a germline variant report",
    summary="Understand a genetic test report: the variant table, the five ACMG/AMP classes, "
            "the evidence behind them, and what to do with a variant of uncertain significance.",
    description="""
<p>More clinicians now receive genetic test reports than ever before, often without a genetics
service nearby. This course walks through a germline report section by section, explains how
laboratories classify variants with the ACMG/AMP framework, and gives practical rules for the
result that causes most confusion: the variant of uncertain significance.</p>
""",
    learning_objectives=[
        objective("Identify the sections of a germline report and the limitations of the test "
                  "used.", "IR.1"),
        objective("Read a variant written in HGVS nomenclature, including zygosity.", "IR.1"),
        objective("Explain the five ACMG/AMP classes and the common evidence codes.", "IR.3"),
        objective("Manage a patient and family safely when the result is a variant of uncertain "
                  "significance.", "IR.2"),
    ],
    intended_audience="Physicians, nurses, genetic counsellors and laboratory scientists who "
                      "order or receive germline genetic tests.",
    level="intermediate",
    estimated_hours="1.5",
    cpd_credit_hours="1.5",
    prerequisites="<p>Basic knowledge of genes, DNA and Mendelian inheritance.</p>",
    educators=[
        Educator("Dr Ngozi Eze", "Clinical scientist, genomic diagnostics laboratory"),
        Educator("Dr Tomás Rivera", "Clinical geneticist"),
    ],
    modules=[MODULE_1, MODULE_2, MODULE_3],
)
