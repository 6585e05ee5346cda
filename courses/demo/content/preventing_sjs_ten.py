"""Pharmacogenomics: HLA testing to prevent SJS/TEN from carbamazepine and allopurinol."""

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

CPIC_CARBAMAZEPINE = ref(
    "Phillips EJ, Sukasem C, Whirl-Carrillo M, et al. Clinical Pharmacogenetics "
    "Implementation Consortium guideline for HLA genotype and use of carbamazepine and "
    "oxcarbazepine: 2017 update. Clin Pharmacol Ther. 2018;103(4):574-581.",
    doi="10.1002/cpt.1004",
)
CHUNG_2004 = ref(
    "Chung WH, Hung SI, Hong HS, et al. Medical genetics: a marker for Stevens-Johnson "
    "syndrome. Nature. 2004;428(6982):486.",
    doi="10.1038/428486a",
)
HUNG_2005 = ref(
    "Hung SI, Chung WH, Liou LB, et al. HLA-B*5801 allele as a genetic marker for severe "
    "cutaneous adverse reactions caused by allopurinol. Proc Natl Acad Sci U S A. "
    "2005;102(11):4134-4139.",
    doi="10.1073/pnas.0409500102",
)
CPIC_ALLOPURINOL = ref(
    "Saito Y, Stamp LK, Caudle KE, et al. Clinical Pharmacogenetics Implementation "
    "Consortium (CPIC) guidelines for human leukocyte antigen B (HLA-B) genotype and "
    "allopurinol dosing: 2015 update. Clin Pharmacol Ther. 2016;99(1):36-37.",
    doi="10.1002/cpt.161",
)
CHEN_2011 = ref(
    "Chen P, Lin JJ, Lu CS, et al. Carbamazepine-induced toxic effects and HLA-B*1502 "
    "screening in Taiwan. N Engl J Med. 2011;364(12):1126-1133.",
    doi="10.1056/NEJMoa1009717",
)
MALLAL_2008 = ref(
    "Mallal S, Phillips E, Carosi G, et al. HLA-B*5701 screening for hypersensitivity to "
    "abacavir. N Engl J Med. 2008;358(6):568-579.",
    doi="10.1056/NEJMoa0706135",
)
KO_2015 = ref(
    "Ko TM, Tsai CY, Chen SY, et al. Use of HLA-B*58:01 genotyping to prevent allopurinol "
    "induced severe cutaneous adverse reactions in Taiwan: national prospective cohort "
    "study. BMJ. 2015;351:h4848.",
    doi="10.1136/bmj.h4848",
)

MODULE_1 = Module(
    slug="sjs-ten-and-hla",
    title="SJS/TEN and the HLA story",
    summary="What Stevens-Johnson syndrome and toxic epidermal necrolysis are, and why a "
            "single HLA allele can predict them.",
    estimated_minutes=20,
    body=[
        heading("A rare reaction with a high price"),
        text("""
<p>Stevens-Johnson syndrome (SJS) and toxic epidermal necrolysis (TEN) are one disease seen at
different severities. A few days to about eight weeks after starting a new medicine, the
patient develops fever and malaise, then painful dusky or purpuric skin lesions that blister
and detach, with erosions of at least two mucous membranes (mouth, eyes, genitals). When less
than 10% of the body surface detaches it is called SJS; more than 30% is TEN; in between is
SJS/TEN overlap.</p>
<p>Mortality is up to about 10% for SJS and around 30% or more for TEN. Survivors often live
with scarring of the eyes, dry-eye disease, strictures and psychological harm. There is no
antidote: the most important treatment is to <b>stop the culprit drug early</b> and to give
supportive care, ideally in a burns or intensive care unit.</p>
"""),
        key_point("""
<p>The medicines most often responsible include carbamazepine, oxcarbazepine, phenytoin,
lamotrigine, allopurinol, sulfonamide antibiotics (including co-trimoxazole), nevirapine and
some NSAIDs of the oxicam class. Most reactions start within the first eight weeks of a new
drug.</p>
""", title="Usual suspects"),
        heading("Why genes matter: HLA and drug presentation"),
        text("""
<p>The human leukocyte antigen (HLA) genes encode the molecules that present peptides to T
cells. Some drugs bind directly to a particular HLA molecule, or to the peptide it carries,
and change what the immune system sees. In a person carrying that HLA allele, cytotoxic T
cells and natural killer cells are activated and attack keratinocytes, releasing granulysin
and other mediators that cause the skin to detach.</p>
<p>Because the reaction depends on a specific HLA molecule, the risk is strongly linked to
the patient's HLA type. In 2004 Chung and colleagues in Taiwan reported that <b>HLA-B*15:02</b>
was present in every one of 44 Han Chinese patients with carbamazepine-induced SJS/TEN, but in
only about 3% of carbamazepine-tolerant controls. A year later the same group showed a similar
link between <b>HLA-B*58:01</b> and severe reactions to allopurinol.</p>
<p>Not every carrier reacts: most people with HLA-B*15:02 who take carbamazepine do not develop
SJS/TEN, so the positive predictive value of the test is low. But the negative predictive
value in high-prevalence populations is very high, and avoiding the drug in carriers removes
most of the risk.</p>
"""),
        term("HLA allele", "One version of a human leukocyte antigen gene. Names such as "
             "HLA-B*15:02 give the gene (HLA-B), the allele group (15) and the specific "
             "protein (02)."),
        term("Negative predictive value", "The proportion of people with a negative test who "
             "will not develop the outcome. For HLA-B*15:02 and carbamazepine SJS/TEN in "
             "Southeast Asian populations it is close to 100%."),
        heading("A model to follow: abacavir and HLA-B*57:01"),
        text("""
<p>HLA testing before prescribing is not new. In HIV care, screening for HLA-B*57:01 before
abacavir became standard after the PREDICT-1 randomised trial showed that prospective
screening eliminated immunologically confirmed abacavir hypersensitivity. The same logic
applies to SJS/TEN: a one-off test, done before the first dose, prevents a rare but
devastating reaction.</p>
"""),
        references(CHUNG_2004, HUNG_2005, MALLAL_2008),
    ],
)

MODULE_2 = Module(
    slug="hla-b-1502-carbamazepine",
    title="HLA-B*15:02, carbamazepine and oxcarbazepine",
    summary="Who to test before carbamazepine or oxcarbazepine, how to read the result, and "
            "what CPIC recommends.",
    estimated_minutes=25,
    body=[
        heading("Where HLA-B*15:02 is common"),
        text("""
<p>HLA-B*15:02 is common in people whose ancestry is from much of Southeast Asia and southern
China. It is carried by roughly 10-15% or more of people in parts of southern China, Taiwan,
Hong Kong, Malaysia, Thailand, Vietnam, the Philippines and Indonesia, and by a smaller
proportion in some South Asian populations. It is rare (well under 1%) in people of Japanese,
Korean, European and African ancestry.</p>
<p>Ancestry is an imperfect guide: families mix, and patients may not know their grandparents'
origins. Many services in the region therefore test everyone before carbamazepine, rather
than trying to judge ancestry at the bedside.</p>
"""),
        heading("What CPIC recommends"),
        text("""
<p>The Clinical Pharmacogenetics Implementation Consortium (CPIC) 2017 update gives these
recommendations for a patient who has <b>not</b> taken the drug before:</p>
<ul>
<li><b>HLA-B*15:02 positive:</b> do not use carbamazepine (strong recommendation). Do not use
oxcarbazepine either (optional recommendation, because the evidence is weaker). Be cautious
with other aromatic antiseizure medicines such as phenytoin and fosphenytoin, which CPIC also
advises against in carriers; lamotrigine has a weaker association.</li>
<li><b>HLA-B*15:02 negative:</b> prescribe as usual. A negative result does not remove all
risk, and every patient should still be told to stop the drug and seek help if a rash,
blisters, mouth ulcers or fever appear.</li>
<li><b>Already on carbamazepine for more than three months without a skin reaction:</b> the
risk of SJS/TEN developing now is very low, and the drug can cautiously be continued in a
carrier.</li>
</ul>
<p>CPIC also covers <b>HLA-A*31:01</b>, which is associated with carbamazepine reactions across
many ancestries (including European and Japanese), especially drug reaction with eosinophilia
and systemic symptoms (DRESS) and maculopapular eruptions. For a carrier who has not used the
drug, CPIC suggests an alternative; if none is suitable, carbamazepine may be used with closer
monitoring.</p>
"""),
        key_point("""
<p>Carbamazepine is also used for trigeminal neuralgia and bipolar disorder, not only
epilepsy. The test applies whatever the indication. If the result is not yet back and
treatment is urgent, start a non-aromatic alternative rather than carbamazepine.</p>
"""),
        heading("Does screening work in practice?"),
        text("""
<p>In a prospective study of nearly 4,900 patients in Taiwan, about 8% carried HLA-B*15:02
and were given another medicine. None of the HLA-B*15:02-negative patients who took
carbamazepine developed SJS/TEN, where around ten cases would have been expected from
historical rates. Regulators took note: the US FDA added a boxed warning recommending
testing in patients of Asian ancestry in 2007, and several health systems in the region now
include the test in routine care.</p>
"""),
        case(
            "A new prescription for trigeminal neuralgia",
            """
<p>Mrs L., 46, a schoolteacher of Thai ancestry, has had stabbing facial pain for two months.
Her doctor diagnoses trigeminal neuralgia and writes a prescription for carbamazepine. At the
hospital pharmacy you see that no HLA-B*15:02 result is recorded. She has never taken an
antiseizure medicine.</p>
""",
            "What should the pharmacist do before dispensing?",
            """
<p>Hold the prescription and contact the prescriber. Mrs L. belongs to a population where
HLA-B*15:02 is common and she is carbamazepine-naive, so CPIC recommends testing first. If
the test is positive, carbamazepine and oxcarbazepine should be avoided, and another option
chosen (for trigeminal neuralgia, for example, baclofen, gabapentin or pregabalin, or
referral for specialist treatment). If negative, carbamazepine can be dispensed with
counselling about rash, blisters, mouth ulcers and fever, and the result should be
recorded where every future prescriber will see it.</p>
""",
        ),
        term("CPIC", "The Clinical Pharmacogenetics Implementation Consortium, which writes "
             "freely available, peer-reviewed guidelines on how to use a genotype that is "
             "already known when prescribing."),
        references(CPIC_CARBAMAZEPINE, CHUNG_2004, CHEN_2011),
    ],
)

MODULE_3 = Module(
    slug="hla-b-5801-allopurinol",
    title="HLA-B*58:01 and allopurinol",
    summary="Allopurinol is a common cause of SJS/TEN in Asia; testing for HLA-B*58:01 before "
            "the first dose prevents most cases.",
    estimated_minutes=20,
    body=[
        heading("An old, cheap, much-used drug"),
        text("""
<p>Allopurinol is the first-line urate-lowering treatment for gout and is also used to
prevent tumour lysis syndrome. It is inexpensive and usually well tolerated, but it is one of
the leading causes of SJS/TEN and DRESS in many Asian countries. Reactions tend to occur in
the first weeks to months of treatment and are more frequent and more severe in people with
chronic kidney disease, in whom the active metabolite oxypurinol accumulates.</p>
"""),
        heading("The genetic marker"),
        text("""
<p>In 2005 Hung and colleagues found HLA-B*58:01 in all 51 Han Chinese patients with severe
cutaneous reactions to allopurinol, compared with about 15% of tolerant controls. The
association has since been confirmed in Thai, Korean, Japanese, European and other
populations. The allele is carried by roughly 10-20% of people of Han Chinese, Korean and
Thai ancestry, is also relatively common in some populations of African ancestry, and is
less common (around 1-2%) in people of European ancestry.</p>
"""),
        key_point("""
<p>CPIC recommends that <b>allopurinol should not be prescribed to a person who carries
HLA-B*58:01</b> (strong recommendation). For non-carriers, use allopurinol as usual, starting
at a low dose and titrating, especially when kidney function is reduced.</p>
""", title="CPIC recommendation"),
        text("""
<p>Alternatives for a carrier with gout include febuxostat (with attention to its
cardiovascular warnings) or a uricosuric such as probenecid or benzbromarone where available
and kidney function allows. Local availability and cost matter: in some settings the test
itself is easier to obtain than the alternatives, which is a reason to test before the first
prescription rather than after a reaction.</p>
<p>Implementation is feasible at national scale. In a prospective study in Taiwan of nearly
3,000 patients, about one in five carried HLA-B*58:01 and received an alternative; none of
the non-carriers who took allopurinol developed a severe cutaneous reaction, where several
were expected from historical incidence.</p>
"""),
        case(
            "Gout in a patient with kidney disease",
            """
<p>Mr T., 62, of Korean ancestry, has had three attacks of gout this year. His serum urate is
0.58 mmol/L (9.8 mg/dL) and his eGFR is 45 mL/min/1.73 m&sup2;. His general practitioner plans
to start allopurinol.</p>
""",
            "What should happen first, and why is it especially important for Mr T.?",
            """
<p>Test for HLA-B*58:01 before the first dose. Mr T. has two independent risk factors for a
severe reaction: an ancestry in which the allele is common, and reduced kidney function. If he
carries HLA-B*58:01, allopurinol should not be used and an alternative chosen. If he does not,
allopurinol can start at a low dose adjusted for kidney function and be titrated to the urate
target, with counselling to stop the tablets and seek help at the first sign of rash, fever
or mouth ulcers.</p>
""",
        ),
        term("DRESS", "Drug reaction with eosinophilia and systemic symptoms: a severe, delayed "
             "drug reaction with rash, fever, raised eosinophils and internal organ "
             "involvement, often of the liver or kidneys."),
        references(HUNG_2005, CPIC_ALLOPURINOL, KO_2015),
    ],
)

MODULE_4 = Module(
    slug="screening-in-practice",
    title="Putting pre-prescription HLA testing into practice",
    summary="Ordering, turnaround, recording the result for life, and what to tell patients.",
    estimated_minutes=20,
    body=[
        heading("Making the test part of the prescription"),
        text("""
<p>Pre-prescription HLA testing only prevents harm if it happens <b>before</b> the first dose.
Services that succeed usually do four things:</p>
<ol>
<li><b>Trigger the test at the point of prescribing.</b> An alert in the electronic
prescribing system, or a pharmacy rule that a first prescription of carbamazepine,
oxcarbazepine or allopurinol is not dispensed without a recorded result.</li>
<li><b>Keep turnaround short.</b> Targeted tests for a single HLA allele can return in one or
two days. A short bridging prescription of a safer alternative avoids delaying treatment.</li>
<li><b>Record the result once, for life.</b> An HLA type does not change. The result belongs in
the allergy or alert section of the record, on a wallet card or patient-held record, so it is
not repeated and is visible to every future prescriber.</li>
<li><b>Counsel every patient.</b> A negative test lowers the risk but does not remove it.</li>
</ol>
"""),
        key_point("""
<p>Record an HLA-B*15:02 or HLA-B*58:01 result as a <b>genotype</b>, not as an "allergy". A
carrier who has never taken the drug has not had a reaction, and wording matters when the
record is read years later.</p>
"""),
        heading("Talking to patients"),
        text("""
<p>A short explanation is enough: "This medicine can, very rarely, cause a serious skin
reaction. A simple blood or cheek-swab test tells us if you have a gene type that makes that
reaction much more likely. If you do, we will choose a different medicine that works just as
well for you." Explain that the result may matter for relatives, who share HLA types, and
that it should be shown to any future doctor or pharmacist.</p>
"""),
        case(
            "A rash in week three",
            """
<p>A 30-year-old man started carbamazepine for focal epilepsy 20 days ago after a negative
HLA-B*15:02 test. He comes to the community pharmacy with fever, sore eyes, painful mouth
ulcers and a spreading red rash on his trunk.</p>
""",
            "What should the pharmacist advise?",
            """
<p>This could be early SJS/TEN or DRESS despite the negative test (other alleles, such as
HLA-A*31:01, and non-genetic factors also contribute). He should stop carbamazepine and be
sent for same-day medical assessment; mucosal involvement and fever are warning signs. The
reaction must be recorded as a drug allergy and reported to the pharmacovigilance system, and
he must not be re-exposed to carbamazepine, and should avoid structurally related aromatic
antiseizure drugs, in future.</p>
""",
        ),
        term("Pre-emptive testing", "Genotyping done before a drug is needed, often as a panel "
             "of pharmacogenes, so that results are already in the record when a prescriber "
             "needs them."),
        references(CPIC_CARBAMAZEPINE, CPIC_ALLOPURINOL),
    ],
)

COURSE = Course(
    domain="pharmacogenomics",
    slug="preventing-sjs-ten-with-hla-testing",
    title="Preventing SJS/TEN with HLA testing",
    summary="How testing for HLA-B*15:02 and HLA-B*58:01 before carbamazepine, oxcarbazepine "
            "and allopurinol prevents Stevens-Johnson syndrome and toxic epidermal necrolysis.",
    description="""
<p>Stevens-Johnson syndrome and toxic epidermal necrolysis are rare but often fatal drug
reactions. For two common medicines the risk is concentrated in people who carry a single HLA
allele, and a simple test before the first dose prevents most cases. This course explains the
biology, the evidence and the CPIC recommendations, and shows how to build testing into
everyday prescribing and dispensing, with examples from Southeast Asia where the alleles are
most common.</p>
""",
    learning_objectives=[
        objective("Recognise the early features of SJS/TEN and the medicines that most often "
                  "cause it.", "PGx.1"),
        objective("Explain why HLA-B*15:02 and HLA-B*58:01 predict severe cutaneous reactions.",
                  "PGx.1"),
        objective("Apply CPIC recommendations to carbamazepine, oxcarbazepine and allopurinol "
                  "prescriptions.", "PGx.2", "PGx.3", "PGx.5"),
        objective("Set up testing so results are available before the first dose and recorded for "
                  "life.", "PGx.2", "PGx.3"),
    ],
    intended_audience="Pharmacists, physicians and nurses who prescribe, dispense or "
                      "administer antiseizure medicines or allopurinol.",
    level="introductory",
    estimated_hours="1.5",
    cpd_credit_hours="1.5",
    prerequisites="<p>None. Familiarity with prescribing antiseizure medicines or gout "
                  "treatment helps.</p>",
    educators=[
        Educator("Dr Malee Srisuk", "Clinical pharmacist, pharmacogenomics service"),
        Educator("Dr Daniel Osei", "Consultant dermatologist"),
    ],
    modules=[MODULE_1, MODULE_2, MODULE_3, MODULE_4],
)
