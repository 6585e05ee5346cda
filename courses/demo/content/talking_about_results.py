"""Communications: talking with patients and families before and after a genetic test."""

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

GIGERENZER_2003 = ref(
    "Gigerenzer G, Edwards A. Simple tools for understanding risks: from innumeracy to "
    "insight. BMJ. 2003;327(7417):741-744.",
    doi="10.1136/bmj.327.7417.741",
)
SCHILLINGER_2003 = ref(
    "Schillinger D, Piette J, Grumbach K, et al. Closing the loop: physician communication "
    "with diabetic patients who have low health literacy. Arch Intern Med. "
    "2003;163(1):83-90.",
    doi="10.1001/archinte.163.1.83",
)
KUCHENBAECKER_2017 = ref(
    "Kuchenbaecker KB, Hopper JL, Barnes DR, et al. Risks of breast, ovarian, and "
    "contralateral breast cancer for BRCA1 and BRCA2 mutation carriers. JAMA. "
    "2017;317(23):2402-2416.",
    doi="10.1001/jama.2017.7112",
)
FORREST_2003 = ref(
    "Forrest K, Simpson SA, Wilson BJ, et al. To tell or not to tell: barriers and "
    "facilitators in family communication about genetic risk. Clin Genet. "
    "2003;64(4):317-326.",
)
BOTKIN_2015 = ref(
    "Botkin JR, Belmont JW, Berg JS, et al. Points to consider: ethical, legal, and "
    "psychosocial implications of genetic testing in children and adolescents. Am J Hum "
    "Genet. 2015;97(1):6-21.",
    doi="10.1016/j.ajhg.2015.05.022",
)

MODULE_1 = Module(
    slug="before-the-test",
    title="Before the test: the pre-test conversation",
    summary="What a person needs to understand before a genetic test, and how to check they "
            "have understood it.",
    estimated_minutes=20,
    body=[
        heading("A decision, not a blood draw"),
        text("""
<p>A genetic test can change how a person sees their future, their children and their
relatives. Before it, they should understand enough to decide freely. This does not need a
long lecture; it needs the right few points, in words they use, and a check that they were
understood.</p>
"""),
        key_point("""
<ul>
<li><b>Why</b> the test is offered and what question it answers.</li>
<li>The <b>possible results</b>: a clear cause found, nothing found (which does not always
rule out a genetic cause), or an uncertain finding.</li>
<li>What a result could mean for <b>treatment or screening</b>.</li>
<li>What it could mean for <b>relatives</b>, who may share the variant.</li>
<li>Whether the test might find <b>other, unexpected</b> information, and the person's
choices about it.</li>
<li>How the sample and data will be <b>stored and used</b>, and any local issues with
insurance or employment.</li>
<li>That saying <b>no, or not now,</b> is acceptable.</li>
</ul>
""", title="What to cover"),
        heading("Plain language and interpreters"),
        text("""
<p>Swap jargon for everyday words: "a change in a gene" rather than "a pathogenic variant",
"runs in families" rather than "autosomal dominant". Use diagrams, and a professional
interpreter rather than a family member, particularly a child, whenever there is a language
barrier: relatives may filter or soften what is said, and the result may concern them
too.</p>
"""),
        heading("Checking understanding with teach-back", level="h3"),
        text("""
<p>Teach-back means asking the person to explain, in their own words, what they have
understood: "So that I know I explained it well, can you tell me what this test might show?"
It tests your explanation, not the patient. Where understanding is incomplete, explain again
differently and check again. In a study of people with diabetes and limited health literacy,
those whose doctors "closed the loop" in this way were more likely to have good glucose
control.</p>
"""),
        case(
            "A test offered in a busy clinic",
            """
<p>A 45-year-old man with newly diagnosed colorectal cancer has a tumour that is mismatch
repair deficient. The oncology nurse is asked to offer germline testing for Lynch syndrome
during a crowded clinic. He says, "Just do whatever test you need."</p>
""",
            "Is his agreement enough? What would you say in a few minutes?",
            """
<p>His trust is welcome but he should know what he is agreeing to. In two or three minutes:
the test looks for an inherited cause of his cancer; if found, it may change his follow-up
and would mean his children and siblings could be tested and screened; the result might also
be uncertain; and he can take time to decide. Then ask him to say back what the test is for
and who else it might affect. Offer a leaflet and a follow-up call.</p>
""",
        ),
        term("Teach-back", "Asking a patient to explain in their own words what they have been "
             "told, to check the explanation worked."),
        references(SCHILLINGER_2003),
    ],
)

MODULE_2 = Module(
    slug="sharing-results",
    title="Sharing results, including uncertainty",
    summary="Giving a positive, negative or uncertain result, and describing risk in numbers "
            "people can use.",
    estimated_minutes=20,
    body=[
        heading("Set up the conversation"),
        text("""
<p>Agree in advance how the result will be given; many people prefer in person or by a planned
call for a significant result. Find a private space, check who the person wants with them,
and start by asking what they remember about why the test was done. Give the headline
first, simply, then pause. People take in little after hearing serious news, so plan a second
contact and give the key points in writing.</p>
"""),
        heading("Describing risk"),
        text("""
<p>Use <b>absolute</b> risks and <b>natural frequencies</b>, with the same denominator
throughout: "Out of 100 women with this change, about 70 will develop breast cancer by the age
of 80. Out of 100 women in the general population, about 12 will." Relative risks ("seven
times higher") are easily misunderstood. Give a time frame, and say what can be done to lower
the risk, which is often the most important message.</p>
"""),
        key_point("""
<p>Present risk both ways: "about 70 in 100 will develop breast cancer by 80" also means "about
30 in 100 will not". A pictogram of 100 figures helps many people, including those with
limited numeracy.</p>
""", title="Frame it both ways"),
        heading("When the result is uncertain or negative", level="h3"),
        text("""
<p>For a variant of uncertain significance, avoid the word "mutation" and say plainly that the
finding will not be used to make decisions. For a negative result in someone with a strong
family history, explain that it does not remove the family's risk, and that screening
recommendations may still apply.</p>
"""),
        case(
            "A result by telephone",
            """
<p>A woman calls the clinic and asks to be told her <i>BRCA1</i> result "right now, on the
phone". The result is positive. She is at work.</p>
""",
            "How should the nurse respond?",
            """
<p>Acknowledge her wish and the anxiety of waiting. Ask whether she is somewhere private and
has time to talk; if not, agree a time very soon (today) when she will be. Many services give
results by phone if the person chooses it and it was agreed beforehand. Give the result
clearly, explain that there are effective options to reduce risk, arrange a face-to-face
appointment with the genetics or breast team, and send a written summary.</p>
""",
        ),
        term("Natural frequency", "A way of stating risk as a count out of a fixed group, such "
             "as \"7 in 10\", which people understand more reliably than percentages or "
             "relative risks."),
        references(GIGERENZER_2003, KUCHENBAECKER_2017),
    ],
)

MODULE_3 = Module(
    slug="telling-relatives",
    title="Telling relatives: supporting cascade testing",
    summary="Helping families share genetic information, family letters, and testing "
            "children.",
    estimated_minutes=20,
    body=[
        heading("Why relatives often do not hear"),
        text("""
<p>When a pathogenic variant is found, each first-degree relative has (for a dominant
condition) a one-in-two chance of carrying it. Yet in many families fewer than half of the
relatives at risk are ever tested. People are unsure how to explain the result, are estranged
from relatives, fear causing worry or blame, or believe that only those who are "like" the
affected person are at risk.</p>
"""),
        heading("Practical support"),
        text("""
<ul>
<li>Draw the pedigree together and list <b>who needs to know</b>: usually parents, brothers
and sisters, and adult children first.</li>
<li>Offer a <b>family letter</b> that explains the finding in plain language, names the gene
and variant, and says how the relative can get advice and testing locally.</li>
<li>Rehearse what they might say, and agree who will tell whom.</li>
<li>Follow up: ask at the next contact which relatives have been told.</li>
</ul>
"""),
        key_point("""
<p>The result belongs to the patient, and sharing it with relatives is normally their choice.
Professional guidance in several countries accepts that, exceptionally, a clinician may
disclose to a relative at serious, preventable risk without consent. Seek advice from
colleagues and record your reasoning if you face this.</p>
""", title="Confidentiality"),
        heading("Testing children", level="h3"),
        text("""
<p>Predictive testing of children is generally offered when the result would change their care
during childhood, for example for familial hypercholesterolaemia or an inherited arrhythmia.
For conditions that only act in adult life, such as <i>BRCA1/2</i>, it is usually deferred
until the young person can decide for themselves.</p>
"""),
        case(
            "Two adult children and a secret",
            """
<p>Mr O., 58, has a pathogenic variant in <i>MSH2</i> (Lynch syndrome). He has two adult
children. He says he will tell his son, but not his daughter, with whom he has not spoken for
years.</p>
""",
            "How can you help?",
            """
<p>Explore his reasons and his fears without judgement. Explain that his daughter has the same
one-in-two chance as his son, and that colonoscopy can prevent cancer in carriers. Offer
options that do not require a conversation: a family letter he can post, or a letter from the
genetics service (with his consent) inviting her to make contact. Record the discussion and
revisit it at follow-up.</p>
""",
        ),
        term("Cascade testing", "Offering testing to the relatives of a person with a known "
             "pathogenic variant, starting with first-degree relatives and moving outwards."),
        references(FORREST_2003, BOTKIN_2015),
    ],
)

COURSE = Course(
    domain="communications",
    slug="talking-about-genetic-results",
    title="Talking with patients and families about genetic results",
    summary="Prepare people for a genetic test, share results and uncertainty in plain "
            "numbers, and help families pass the information on.",
    description="""
<p>Good genomic care depends on good conversations. This course covers the pre-test
discussion, giving results (including uncertain ones) and explaining risk in natural
frequencies, and supporting patients to tell relatives so that cascade testing can happen.
Each module ends with a short case to discuss with colleagues.</p>
""",
    learning_objectives=[
        objective("Hold a brief pre-test conversation that supports an informed decision.",
                  "TS.3", "CC.1"),
        objective("Check understanding using teach-back.", "CC.1"),
        objective("Explain genetic risk with absolute numbers and natural frequencies.", "CC.2"),
        objective("Support patients to inform relatives, using family letters where "
                  "appropriate.", "IR.4", "CC.3"),
    ],
    intended_audience="Nurses, midwives, pharmacists, physicians and genetic counsellors who "
                      "discuss genetic tests with patients.",
    level="introductory",
    estimated_hours="1.0",
    cpd_credit_hours="1.0",
    prerequisites="<p>None. <i>Family history and red flags in primary care</i> is a useful "
                  "companion course.</p>",
    educators=[
        Educator("Ms Fatima Bello", "Genetic counsellor"),
        Educator("Dr Siosaia Tupou", "Family physician and medical educator"),
    ],
    modules=[MODULE_1, MODULE_2, MODULE_3],
)
