"""Policy: consent and responsible data sharing in genomic medicine."""

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

KNOPPERS_2014 = ref(
    "Knoppers BM. Framework for responsible sharing of genomic and health-related data. HUGO "
    "J. 2014;8(1):3.",
    doi="10.1186/s11568-014-0003-1",
)
GYMREK_2013 = ref(
    "Gymrek M, McGuire AL, Golan D, Halperin E, Erlich Y. Identifying personal genomes by "
    "surname inference. Science. 2013;339(6117):321-324.",
    doi="10.1126/science.1229566",
)
KAYE_2015 = ref(
    "Kaye J, Whitley EA, Lund D, et al. Dynamic consent: a patient interface for twenty-first "
    "century research networks. Eur J Hum Genet. 2015;23(2):141-146.",
    doi="10.1038/ejhg.2014.71",
)
MILLER_2023 = ref(
    "Miller DT, Lee K, Abul-Husn NS, et al. ACMG SF v3.2 list for reporting of secondary "
    "findings in clinical exome and genome sequencing: a policy statement of the American "
    "College of Medical Genetics and Genomics (ACMG). Genet Med. 2023;25(8):100866.",
    doi="10.1016/j.gim.2023.100866",
)
TINDANA_2014 = ref(
    "Tindana P, Molyneux CS, Bull S, Parker M. Ethical issues in the export, storage and "
    "reuse of human biological samples in biomedical research: perspectives of key "
    "stakeholders in Ghana and Kenya. BMC Med Ethics. 2014;15:76.",
)
GDPR = ref(
    "Regulation (EU) 2016/679 of the European Parliament and of the Council (General Data "
    "Protection Regulation), Article 9: processing of special categories of personal data.",
)

MODULE_1 = Module(
    slug="why-genomic-consent-is-different",
    title="Why consent for genomic tests is different",
    summary="Shared with relatives, hard to anonymise, useful for decades: what sets genomic "
            "information apart.",
    estimated_minutes=20,
    body=[
        heading("Five features of genomic information"),
        text("""
<p>Consent for a genomic test follows the same principles as any consent: the person must have
capacity, be informed, and decide voluntarily. But genomic information has features that
change what "informed" requires.</p>
<ol>
<li><b>It is familial.</b> A result says something about parents, siblings and children, who
did not consent to the test.</li>
<li><b>It is identifying.</b> A genome is unique, and even "anonymised" genomic data can
sometimes be linked back to a person.</li>
<li><b>It lasts.</b> The sequence does not change, and a genome sequenced today may be
reanalysed for years as knowledge improves.</li>
<li><b>It can reveal the unexpected.</b> A genome sequenced to explain epilepsy may reveal a
cancer-predisposing variant, or misattributed parentage.</li>
<li><b>It has value beyond the patient.</b> The same data can help other families and
research.</li>
</ol>
"""),
        heading("Secondary findings"),
        text("""
<p>When a broad test such as an exome or genome is done, a laboratory may deliberately look
for variants in a defined list of genes where early action prevents serious harm, for
example genes for hereditary breast and ovarian cancer, Lynch syndrome, familial
hypercholesterolaemia and inherited cardiomyopathies. The American College of Medical
Genetics and Genomics maintains such a list (more than 70 genes in recent versions) and
recommends that patients can choose not to receive these results. Other countries take
different approaches; what matters is that the person knows the policy before the test.</p>
"""),
        key_point("""
<p>In many legal systems genetic data are a special category of personal data, needing an
explicit legal basis and extra safeguards (for example Article 9 of the EU General Data
Protection Regulation). Know your national law on data protection and on genetic
discrimination in insurance and employment before you counsel patients.</p>
""", title="The law"),
        term("Secondary finding", "A result deliberately sought in genes unrelated to the reason "
             "for testing, because acting on it could prevent serious harm."),
        term("Incidental finding", "A result found by chance, without being looked for, that is "
             "unrelated to the reason for testing."),
        references(MILLER_2023, GYMREK_2013, GDPR),
    ],
)

MODULE_2 = Module(
    slug="consent-models-in-practice",
    title="Consent models and the consent conversation",
    summary="Specific, broad, tiered and dynamic consent; consent where literacy is limited; "
            "children; withdrawal.",
    estimated_minutes=25,
    body=[
        heading("Consent models"),
        text("""
<ul>
<li><b>Specific consent</b>: for one test or one study. Clear, but every new use needs new
consent.</li>
<li><b>Broad consent</b>: for future, unspecified research within defined limits and under
oversight by an ethics committee or data access committee. Common in biobanks.</li>
<li><b>Tiered consent</b>: the person chooses among options, such as receiving secondary
findings, being recontacted, or allowing commercial research.</li>
<li><b>Dynamic consent</b>: an ongoing relationship, often through a digital platform, in
which participants can review and change their choices over time.</li>
</ul>
<p>In clinical care, consent focuses on the test and its consequences for the patient and
family. Where the same sample or data may also be used for research, separate the two
decisions so that declining research never affects care.</p>
"""),
        heading("Consent where literacy or language is a barrier"),
        text("""
<p>Long written forms do not produce understanding. Use short, tested explanations in the
person's language, pictures, and teach-back; allow time and the involvement of family if the
person wishes. In many communities, <b>community engagement</b> before a programme begins,
with leaders, patient groups and the public, builds the trust on which individual consent
depends. Individual consent is still required.</p>
"""),
        key_point("""
<p>Consent is a process, not a signature. Record what was discussed and what the person
chose, and make it easy for them to change their mind, including withdrawing their sample
and data from future use.</p>
"""),
        case(
            "An exome for a child with developmental delay",
            """
<p>Parents of a three-year-old with global developmental delay are offered trio exome
sequencing (child and both parents). The consent form asks about secondary findings,
recontact, and research use.</p>
""",
            "What should the parents understand about each choice?",
            """
<p>Secondary findings: the test could reveal, in the child or in a parent, a variant in a gene
where early action prevents harm, even though unrelated to the delay; they can choose whether
to receive these, and the laboratory's policy on findings for the child that would only
matter in adulthood should be explained. Trio testing may also reveal that a parent is not
the biological parent, and the service's policy on this should be explained. Recontact: the
data may be reanalysed later and they may be contacted if a diagnosis emerges. Research: a
separate, optional choice that does not affect the child's care.</p>
""",
        ),
        term("Data access committee", "A group that reviews requests to use controlled-access "
             "data and checks that each proposed use matches the participants' consent."),
        references(KAYE_2015, MILLER_2023),
    ],
)

MODULE_3 = Module(
    slug="sharing-data-responsibly",
    title="Sharing genomic data responsibly",
    summary="Why sharing saves lives, the limits of anonymisation, controlled access, and "
            "fairness to the communities that contribute data.",
    estimated_minutes=20,
    body=[
        heading("Sharing is part of good care"),
        text("""
<p>Variant classification depends on shared evidence. When laboratories submit
classifications to ClinVar, or clinicians describe rare patients to matchmaking services,
other families get answers. Populations whose data are not shared remain poorly represented,
and their patients receive more uncertain results.</p>
"""),
        heading("Anonymisation has limits"),
        text("""
<p>Removing names is not enough to make a genome anonymous. Researchers have shown that
surnames can sometimes be inferred from Y-chromosome markers matched against public
genealogy databases. Genomic data are therefore usually shared in one of three ways:</p>
<ul>
<li><b>Open access</b> for aggregate data, such as allele frequencies or variant
classifications;</li>
<li><b>Controlled access</b> for individual-level data, through a data access committee and a
signed data access agreement;</li>
<li><b>Federated access</b>, where approved analyses run where the data are held.</li>
</ul>
"""),
        key_point("""
<p>The GA4GH Framework for Responsible Sharing of Genomic and Health-Related Data rests on
the right of everyone to share in the benefits of science. Its core elements include
transparency, accountability, engagement, data quality and security, privacy and data
protection, risk-benefit analysis, recognition and attribution, and accessibility.</p>
""", title="A framework to start from"),
        heading("Samples and data that cross borders"),
        text("""
<p>Studies in Africa and elsewhere have raised concerns about samples exported for research
with little benefit returned. Good practice includes material and data transfer agreements,
local storage or co-ownership where possible, capacity building, authorship for local
scientists, and clear rules on secondary use and commercial access, agreed with communities
in advance.</p>
"""),
        case(
            "A request from an overseas partner",
            """
<p>A hospital has sequenced 500 patients with cardiomyopathy under broad research consent. An
overseas university asks for the full genome files for a new study and offers to pay for
transfer.</p>
""",
            "What should the hospital check before agreeing?",
            """
<p>That the consent covers this use and transfer abroad; that national law allows export; that
a data access committee reviews the request; that a data access agreement limits use,
forbids re-identification and sets security requirements; whether a federated analysis
would answer the question without transfer; and what the partnership gives back, such as
joint authorship, training and shared results.</p>
""",
        ),
        term("Controlled access", "Access to individual-level data granted only to approved "
             "users for approved purposes, under a signed agreement."),
        references(KNOPPERS_2014, GYMREK_2013, TINDANA_2014),
    ],
)

COURSE = Course(
    domain="policy",
    slug="consent-and-data-sharing",
    title="Consent and data sharing in genomic medicine",
    summary="What makes genomic consent different, consent models from specific to dynamic, "
            "and how to share genomic data responsibly and fairly.",
    description="""
<p>Genomic information is shared with relatives, hard to anonymise and useful for decades.
This course explains what that means for consent in clinical care and research, compares
consent models, and sets out the safeguards for sharing data within and across borders,
with attention to communities in low- and middle-income countries.</p>
""",
    learning_objectives=[
        objective("Explain the features of genomic information that affect consent.", "TS.3",
                  "DE.2"),
        objective("Describe secondary findings and how patients can choose about them.", "TS.3"),
        objective("Compare specific, broad, tiered and dynamic consent.", "TS.3"),
        objective("Apply the principles of responsible, fair data sharing to a request for "
                  "data.", "DE.1", "DE.3"),
    ],
    intended_audience="Clinicians who order genomic tests, research ethics committee members, "
                      "and programme managers.",
    level="intermediate",
    estimated_hours="1.5",
    cpd_credit_hours="1.0",
    prerequisites="<p>None.</p>",
    educators=[
        Educator("Prof. Amara Nwosu", "Bioethicist"),
        Educator("Dr Lucía Fernández", "Clinical geneticist and ethics committee chair"),
    ],
    modules=[MODULE_1, MODULE_2, MODULE_3],
)
