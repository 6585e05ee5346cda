"""Education: family history and red flags for inherited conditions in primary care."""

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

BENNETT_2008 = ref(
    "Bennett RL, French KS, Resta RG, Doyle DL. Standardized human pedigree nomenclature: "
    "update and assessment of the recommendations of the National Society of Genetic "
    "Counselors. J Genet Couns. 2008;17(5):424-433.",
    doi="10.1007/s10897-008-9169-9",
)
HAMPEL_2015 = ref(
    "Hampel H, Bennett RL, Buchanan A, et al. A practice guideline from the American College "
    "of Medical Genetics and Genomics and the National Society of Genetic Counselors: "
    "referral indications for cancer predisposition assessment. Genet Med. "
    "2015;17(1):70-87.",
    doi="10.1038/gim.2014.147",
)
NICE_CG164 = ref(
    "National Institute for Health and Care Excellence. Familial breast cancer: "
    "classification, care and managing breast cancer and related risks in people with a "
    "family history of breast cancer (CG164). London: NICE; 2013, updated.",
    url="https://www.nice.org.uk/guidance/cg164",
)
NICE_CG71 = ref(
    "National Institute for Health and Care Excellence. Familial hypercholesterolaemia: "
    "identification and management (CG71). London: NICE; 2008, updated.",
    url="https://www.nice.org.uk/guidance/cg71",
)
PRIORI_2013 = ref(
    "Priori SG, Wilde AA, Horie M, et al. HRS/EHRA/APHRS expert consensus statement on the "
    "diagnosis and management of patients with inherited primary arrhythmia syndromes. "
    "Heart Rhythm. 2013;10(12):1932-1963.",
    doi="10.1016/j.hrthm.2013.05.014",
)
NORDESTGAARD_2013 = ref(
    "Nordestgaard BG, Chapman MJ, Humphries SE, et al. Familial hypercholesterolaemia is "
    "underdiagnosed and undertreated in the general population: guidance for clinicians to "
    "prevent coronary heart disease. Eur Heart J. 2013;34(45):3478-3490.",
    doi="10.1093/eurheartj/eht273",
)

MODULE_1 = Module(
    slug="three-generation-pedigree",
    title="Taking a three-generation family history",
    summary="Who to ask about, what to record, and how to draw it as a standard pedigree in "
            "ten minutes.",
    estimated_minutes=25,
    body=[
        heading("Why the family history is still the best genetic test"),
        text("""
<p>A well-taken family history costs nothing, needs no laboratory, and identifies most of the
people who would benefit from genetic testing. It also changes care on its own: earlier
screening for a woman whose mother had breast cancer at 40, or a lipid check for the son of a
man who had a heart attack at 45.</p>
"""),
        heading("Who to include"),
        text("""
<p>A <b>three-generation</b> history covers the patient (the <i>proband</i>) and:</p>
<ul>
<li><b>First-degree relatives</b>: parents, brothers and sisters, children.</li>
<li><b>Second-degree relatives</b>: grandparents, aunts and uncles, nieces and nephews,
grandchildren, half-siblings.</li>
<li>Where relevant, <b>third-degree relatives</b> such as first cousins.</li>
</ul>
<p>Ask about both the mother's and the father's side. Inherited cancer risk passes through
fathers as often as through mothers, and a paternal history is the one most often missed.</p>
"""),
        heading("What to record for each person", level="h3"),
        text("""
<ul>
<li>Age now, or age at death and the cause.</li>
<li>Important conditions and the <b>age at diagnosis</b> (cancers by site, heart disease,
sudden deaths, learning disability, birth defects).</li>
<li>Pregnancy losses and stillbirths.</li>
<li>Ancestry and whether the parents are related (consanguinity).</li>
<li>Adoption or donor conception, which means the biological history may be unknown.</li>
</ul>
"""),
        key_point("""
<p>Standard symbols make a pedigree readable by anyone: a <b>square</b> for a male, a
<b>circle</b> for a female, a <b>diamond</b> when sex is unknown or not stated; a filled symbol
for an affected person; a diagonal line through a symbol for someone who has died; an arrow
for the proband; a double line between partners who are related. Write ages and diagnoses
under each symbol.</p>
""", title="Drawing the pedigree"),
        text("""
<p>Families change, and so does what people know. Date the pedigree, and ask "has anyone in
the family been diagnosed with anything new?" at later visits. Record "not known" rather than
leaving gaps: it tells the next reader that the question was asked.</p>
"""),
        term("Proband", "The person through whom a family comes to medical attention; marked "
             "with an arrow on the pedigree."),
        term("Consanguinity", "A relationship by descent from a common ancestor, for example "
             "between first cousins. It raises the chance of autosomal recessive conditions in "
             "their children."),
        references(BENNETT_2008),
    ],
)

MODULE_2 = Module(
    slug="red-flags-hereditary-cancer",
    title="Red flags for hereditary cancer",
    summary="The patterns that suggest a hereditary cancer syndrome such as BRCA1/2-related "
            "cancer or Lynch syndrome.",
    estimated_minutes=25,
    body=[
        heading("Most cancer is not inherited, but some is"),
        text("""
<p>About 5-10% of cancers arise in people who carry a high-risk inherited variant. Finding them
matters: carriers benefit from earlier or more intensive screening, risk-reducing surgery or
medicines, and sometimes targeted treatment, and their relatives can be tested.</p>
"""),
        key_point("""
<ul>
<li>Cancer at a <b>young age</b>, for example breast or bowel cancer before 50.</li>
<li><b>More than one primary cancer</b> in one person, including bilateral breast cancer.</li>
<li><b>Several relatives on the same side</b> with the same or related cancers.</li>
<li><b>Rare cancers</b>: ovarian cancer at any age, male breast cancer, pancreatic cancer,
metastatic prostate cancer, medullary thyroid cancer, adrenocortical carcinoma or sarcoma in
a child or young adult.</li>
<li><b>Ten or more bowel adenomas</b> in one person.</li>
<li>A <b>known pathogenic variant</b> in the family.</li>
<li>Ancestry from a population with <b>founder variants</b>, such as Ashkenazi Jewish
ancestry.</li>
</ul>
""", title="Red flags"),
        heading("Recognising the common syndromes"),
        text("""
<p><b>Hereditary breast and ovarian cancer</b> (mostly <i>BRCA1</i> and <i>BRCA2</i>):
breast cancer, often young-onset or triple-negative, ovarian cancer, male breast cancer,
pancreatic and prostate cancer in the same family line.</p>
<p><b>Lynch syndrome</b> (mismatch repair genes <i>MLH1</i>, <i>MSH2</i>, <i>MSH6</i>,
<i>PMS2</i>, and <i>EPCAM</i> deletions): bowel and endometrial cancer, also ovarian, stomach,
small bowel and urinary tract cancers. Many services now test every new colorectal and
endometrial cancer for mismatch repair deficiency, which screens for Lynch syndrome.</p>
<p><b>Li-Fraumeni syndrome</b> (<i>TP53</i>): sarcoma, early breast cancer, brain tumours,
adrenocortical carcinoma and leukaemia, often in children and young adults.</p>
"""),
        case(
            "A worried daughter",
            """
<p>Ms K., 32, sees her primary care nurse for contraception. She mentions that her father's
sister had ovarian cancer at 52 and her paternal grandmother "had breast cancer young, in her
forties". Her father is well at 60. Her mother's family has no cancer that she knows of.</p>
""",
            "Does Ms K. need a referral, and what would you record?",
            """
<p>Yes. Two relatives on the paternal side with breast cancer before 50 and ovarian cancer at
any age suggest a possible <i>BRCA1</i> or <i>BRCA2</i> variant, even though her father is
unaffected (men often carry the variant without developing cancer). Draw the pedigree with
ages and sites, ask whether anyone in the family has had genetic testing, and refer according
to local criteria. The best first test is usually in a living affected relative, if one is
available; otherwise the genetics service may test Ms K. directly.</p>
""",
        ),
        term("Lynch syndrome", "An autosomal dominant condition caused by a variant in a DNA "
             "mismatch repair gene, with a high lifetime risk of bowel and endometrial cancer."),
        term("Founder variant", "A variant that is common in a population because it descends "
             "from a shared ancestor, such as three BRCA1/2 variants in people of Ashkenazi "
             "Jewish ancestry."),
        references(HAMPEL_2015, NICE_CG164),
    ],
)

MODULE_3 = Module(
    slug="red-flags-cardiac-and-referral",
    title="Red flags for inherited heart conditions, and how to refer",
    summary="Sudden deaths, faints and cholesterol: spotting inherited cardiac conditions, and "
            "writing a referral that gets acted on.",
    estimated_minutes=25,
    body=[
        heading("Sudden death in the young is a family matter"),
        text("""
<p>Inherited cardiomyopathies (hypertrophic, dilated, arrhythmogenic) and arrhythmia
syndromes (long QT, Brugada, catecholaminergic polymorphic ventricular tachycardia) can cause
sudden death in apparently healthy young people. First-degree relatives have up to a 50%
chance of carrying the same condition, and most are treatable once known.</p>
"""),
        key_point("""
<ul>
<li><b>Sudden unexplained death</b> of a relative under about 40, including unexplained
drowning of a good swimmer or an unexplained single-vehicle accident.</li>
<li><b>Fainting during exercise</b>, or triggered by a loud noise, a startle or
emotion.</li>
<li>A relative with <b>cardiomyopathy</b> or a pacemaker or defibrillator at a young age.</li>
<li><b>Very high cholesterol</b> (for example LDL cholesterol above 4.9 mmol/L, 190 mg/dL, in
an adult), tendon xanthomas, or heart attack before 55 in a man or 60 in a woman in a
first-degree relative.</li>
</ul>
""", title="Red flags"),
        heading("Familial hypercholesterolaemia"),
        text("""
<p>Familial hypercholesterolaemia (FH) affects roughly 1 in 250 to 1 in 300 people
worldwide, yet most are undiagnosed. It causes high LDL cholesterol from birth and early
coronary disease, and it responds well to statins started early. When you find a very high
LDL cholesterol, exclude secondary causes (hypothyroidism, nephrotic syndrome, cholestasis),
ask about the family and examine for tendon xanthomas. Each diagnosed person is the key to
finding affected relatives, including children.</p>
"""),
        case(
            "A faint at the swimming pool",
            """
<p>A 15-year-old girl fainted while swimming at school and recovered quickly. Her mother
mentions that her own brother drowned at 26 "even though he was a strong swimmer".</p>
""",
            "What should happen next?",
            """
<p>Exertional syncope plus an unexplained drowning in a young relative is a red flag for an
inherited arrhythmia syndrome; swimming is a classic trigger in long QT syndrome type 1. She
needs a 12-lead ECG (with the QT interval measured and corrected) and referral to a
cardiologist, ideally an inherited cardiac conditions service. Advise her to avoid swimming
and strenuous exercise until assessed, and to avoid QT-prolonging medicines. Her mother and
siblings may also need assessment.</p>
""",
        ),
        heading("Writing a referral that gets acted on"),
        text("""
<p>Attach or summarise the pedigree; give ages at diagnosis and ages at death; list who has
already been tested and where, with copies of any reports; state the question ("Is genetic
testing indicated for this family?"); and say what you have told the patient. Tell the patient
what will happen next and roughly how long it may take, and encourage them to collect
information from relatives, such as death certificates or hospital letters.</p>
"""),
        term("Cascade testing", "Offering testing to the relatives of a person with a known "
             "pathogenic variant, starting with first-degree relatives and moving outwards."),
        references(PRIORI_2013, NORDESTGAARD_2013, NICE_CG71),
    ],
)

COURSE = Course(
    domain="education",
    slug="family-history-and-red-flags",
    title="Family history and red flags in primary care",
    summary="Take a three-generation family history, recognise the red flags of hereditary "
            "cancer and inherited heart conditions, and refer the right people.",
    description="""
<p>Most people who would benefit from genetic testing are first seen in primary care. This
course gives nurses, pharmacists and doctors a practical routine for taking and drawing a
family history, the patterns that should prompt a referral, and what to write so the referral
is acted on. No laboratory is needed.</p>
""",
    learning_objectives=[
        objective("Take and draw a three-generation family history using standard pedigree "
                  "symbols.", "FH.1"),
        objective("Recognise the red flags of hereditary breast, ovarian and bowel cancer "
                  "syndromes.", "FH.2"),
        objective("Recognise the red flags of inherited cardiac conditions and familial "
                  "hypercholesterolaemia.", "FH.2"),
        objective("Write a referral to genetics or cardiology that contains what the service "
                  "needs.", "FH.3"),
    ],
    intended_audience="Primary care nurses, community pharmacists, general practitioners and "
                      "clinical officers.",
    level="introductory",
    estimated_hours="1.5",
    cpd_credit_hours="1.0",
    prerequisites="<p>None.</p>",
    educators=[
        Educator("Sister Grace Wanjiru", "Nurse educator, primary care"),
        Educator("Dr Arjun Mehta", "General practitioner with a special interest in genetics"),
    ],
    modules=[MODULE_1, MODULE_2, MODULE_3],
)
