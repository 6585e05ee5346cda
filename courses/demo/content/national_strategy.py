"""Policy: building a national genomic-medicine strategy, with examples from several regions."""

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

STARK_2019 = ref(
    "Stark Z, Dolman L, Manolio TA, et al. Integrating genomics into healthcare: a global "
    "responsibility. Am J Hum Genet. 2019;104(1):13-20.",
    doi="10.1016/j.ajhg.2018.11.014",
)
TURNBULL_2018 = ref(
    "Turnbull C, Scott RH, Thomas E, et al. The 100 000 Genomes Project: bringing whole "
    "genome sequencing to the NHS. BMJ. 2018;361:k1687.",
    doi="10.1136/bmj.k1687",
)
SAUNDERS_2019 = ref(
    "Saunders G, Baudis M, Becker R, et al. Leveraging European infrastructures to access 1 "
    "million human genomes by 2022. Nat Rev Genet. 2019;20(11):693-694.",
    doi="10.1038/s41576-019-0156-9",
)
H3AFRICA_2014 = ref(
    "H3Africa Consortium. Research capacity. Enabling African scientists to engage fully in "
    "the genomic revolution. Science. 2014;344(6190):1346-1348.",
    doi="10.1126/science.1251546",
)
WHO_2022 = ref(
    "World Health Organization Science Council. Accelerating access to genomics for global "
    "health: promotion, implementation, collaboration, and ethical, legal, and social issues. "
    "Geneva: WHO; 2022.",
)

MODULE_1 = Module(
    slug="what-a-strategy-contains",
    title="What a national genomic-medicine strategy contains",
    summary="The building blocks of a strategy, and why starting small and specific works "
            "better than starting big.",
    estimated_minutes=20,
    body=[
        heading("Why a strategy?"),
        text("""
<p>Genomic tests arrive in a health system whether or not it plans for them: through private
laboratories, research projects, or patients who pay for tests abroad. Without a plan, access
is unequal, quality is unknown, results do not reach the record, and data leave the country.
A national strategy sets priorities and makes the pieces fit together.</p>
"""),
        heading("The building blocks"),
        text("""
<ol>
<li><b>Governance and leadership</b>: a named owner in the ministry of health, an advisory
board including patients, and links to existing programmes such as newborn screening, cancer
and rare disease.</li>
<li><b>Clinical priorities</b>: which conditions and tests come first, in a national test
directory with eligibility criteria.</li>
<li><b>Laboratory network</b>: where testing is done, quality standards (for example ISO 15189
accreditation and external quality assessment) and referral routes, including sending
samples abroad where needed.</li>
<li><b>Workforce</b>: genomic literacy for all clinicians, and specialist roles such as
clinical geneticists, genetic counsellors, clinical scientists and bioinformaticians.</li>
<li><b>Data and informatics</b>: secure storage, standards for reporting into health records,
and rules for research access.</li>
<li><b>Ethics, law and public engagement</b>: consent, data protection, protection from
genetic discrimination, and an honest public conversation.</li>
<li><b>Financing</b>: how tests are paid for, and how value is assessed.</li>
<li><b>Evaluation</b>: measures of access, turnaround, diagnostic yield, equity and
cost.</li>
</ol>
"""),
        key_point("""
<p>Start with a few "use cases" where the benefit is clear and the cost is low, such as HLA
testing before carbamazepine and allopurinol, familial hypercholesterolaemia cascade testing,
rapid diagnosis for critically ill newborns, or testing women with ovarian cancer for
<i>BRCA1/2</i>. Each builds the laboratory, workforce and data capacity that the next one
needs.</p>
""", title="Start with use cases"),
        term("National test directory", "A list of the genomic tests a health system pays for, "
             "with the conditions and eligibility criteria for each."),
        term("ISO 15189", "The international standard for quality and competence of medical "
             "laboratories, used for accreditation."),
        references(STARK_2019, WHO_2022),
    ],
)

MODULE_2 = Module(
    slug="lessons-from-other-countries",
    title="Lessons from other countries",
    summary="The United Kingdom, the European 1+ Million Genomes initiative, Thailand, and "
            "Nigeria within H3Africa.",
    estimated_minutes=25,
    body=[
        heading("United Kingdom: from a project to a service"),
        text("""
<p>England's <b>100,000 Genomes Project</b>, run by Genomics England and announced in 2012,
sequenced around 100,000 genomes from NHS patients with rare diseases and cancers by the end of
2018. Its most important legacy was not the genomes but the infrastructure it forced into
being: consent processes, data centres, NHS genomic medicine centres and trained staff. It led
directly to the <b>NHS Genomic Medicine Service</b>, launched in 2018, with a national test
directory and a network of genomic laboratory hubs.</p>
"""),
        heading("Europe: the 1+ Million Genomes initiative"),
        text("""
<p>In 2018, European countries signed a declaration to give cross-border access to at least one
million sequenced genomes. The emphasis is on <b>federated</b> infrastructure: data stay in
each country, and common standards, governance and legal frameworks allow them to be used
together. Successor projects, such as the European Genomic Data Infrastructure, are building
that capacity country by country.</p>
"""),
        heading("Thailand: Genomics Thailand"),
        text("""
<p>Thailand launched its <b>Genomics Thailand</b> initiative around 2019-2020 with the aim of
sequencing tens of thousands of Thai genomes and using genomics in cancer, rare and
undiagnosed diseases, infectious diseases, non-communicable diseases and pharmacogenomics.
It built on years of clinical pharmacogenomics in Thai hospitals, where HLA testing before
carbamazepine and allopurinol had already shown that genotype-guided prescribing could
work in a middle-income health system.</p>
"""),
        heading("Nigeria and H3Africa"),
        text("""
<p>The <b>Human Heredity and Health in Africa (H3Africa)</b> initiative, funded from 2012 by the
US National Institutes of Health and the Wellcome Trust, supported African-led genomics
research for about a decade. Nigerian investigators led and took part in many of its
projects, and one of its three biorepositories was based in Nigeria. H3Africa's legacy for
national strategy includes trained scientists, ethics guidance on consent and community
engagement, and the principle that African data should be analysed by African
scientists.</p>
"""),
        key_point("""
<p>Successful programmes turned research projects into routine services, invested early in
people and data infrastructure, and engaged the public. None began by sequencing
everyone.</p>
""", title="The common thread"),
        case(
            "Copying a flagship",
            """
<p>A minister returns from a conference and proposes to "sequence 100,000 citizens" within
three years. The country has two clinical geneticists and no accredited molecular genetics
laboratory.</p>
""",
            "What advice would you give?",
            """
<p>Welcome the ambition, and point out what made the flagship projects work: they were
connected to clinical services, used existing laboratories and data centres, and trained
people first. Propose a staged plan: a few high-value clinical use cases with a partner
laboratory (sending samples abroad if necessary while local capacity grows), a workforce
plan, data and consent rules, and a research cohort later, once the foundations are in
place.</p>
""",
        ),
        term("Biorepository", "A facility that stores biological samples and their associated "
             "data under defined governance, for future research or clinical use."),
        references(TURNBULL_2018, SAUNDERS_2019, H3AFRICA_2014, STARK_2019),
    ],
)

MODULE_3 = Module(
    slug="governance-workforce-funding",
    title="Governance, workforce and funding",
    summary="Who decides, who does the work, and who pays: making genomic medicine "
            "sustainable.",
    estimated_minutes=25,
    body=[
        heading("Governance"),
        text("""
<p>A strategy needs a clear owner and a way to make decisions that clinicians, laboratories,
payers and patients trust. Common arrangements include a national genomics board reporting to
the ministry of health, expert groups that decide which tests enter the test directory, and
an independent ethics and data access body. Publish the decisions and the reasons for
them.</p>
"""),
        heading("Workforce"),
        text("""
<p>Most genomic medicine will be delivered by clinicians who are not geneticists. A tiered
approach works:</p>
<ul>
<li><b>Everyone</b>: basic genomic literacy, family history, recognising when to refer,
pharmacogenomic alerts.</li>
<li><b>Champions</b> in each specialty and district: nurses, pharmacists and doctors with extra
training who order common tests and counsel patients.</li>
<li><b>Specialists</b>: clinical geneticists, genetic counsellors, laboratory scientists and
bioinformaticians, often trained through regional partnerships and online courses.</li>
</ul>
"""),
        heading("Funding"),
        text("""
<p>Genomic tests compete with every other use of a limited budget. Use health technology
assessment to judge value in the local setting: a test that prevents SJS/TEN or finds a
treatable cause of childhood disease may save money, while broad screening of healthy people
may not. Consider how tests are bought (national tenders can lower prices), who pays for
cascade testing of relatives, and how to avoid a system where only those who can pay get
tested.</p>
"""),
        key_point("""
<p>Count what matters: number of tests, turnaround time, diagnostic yield, actions taken
because of a result, relatives tested, adverse drug reactions avoided, and differences in
access by region, income and sex. Report them publicly.</p>
""", title="Measure from day one"),
        case(
            "Choosing the first funded test",
            """
<p>A national insurer can fund one new genomic test next year. The options are: HLA-B*15:02
testing before carbamazepine, broad polygenic risk scores for heart disease, or exome
sequencing for adults with common diseases.</p>
""",
            "Which would you recommend, and why?",
            """
<p>In a population where HLA-B*15:02 is common, pre-prescription HLA testing is the strongest
candidate: it is inexpensive, guided by CPIC recommendations, prevents a severe and costly
reaction, and requires only a single-allele test and a prescribing alert. Polygenic scores and
exomes for common diseases have less established clinical utility in most settings. The
recommendation should be confirmed with local prevalence, cost and health technology
assessment.</p>
""",
        ),
        term("Health technology assessment", "A structured evaluation of the clinical "
             "effectiveness, cost-effectiveness and wider impact of a health technology, used to "
             "decide whether to fund it."),
        references(STARK_2019, WHO_2022),
    ],
)

COURSE = Course(
    domain="policy",
    slug="national-genomic-medicine-strategy",
    title="Building a national genomic-medicine strategy",
    summary="The building blocks of a national strategy, lessons from the UK, Europe, "
            "Thailand and Nigeria, and how to govern, staff and pay for genomic medicine.",
    description="""
<p>For policymakers, programme managers and clinical leaders who are asked to plan genomic
medicine for a country or region. The course sets out the components of a strategy, draws
lessons from national and regional programmes, and focuses on the decisions that determine
whether genomics reaches patients fairly: governance, workforce and funding.</p>
""",
    learning_objectives=[
        objective("List the components of a national genomic-medicine strategy.", "DE.2"),
        objective("Compare the approaches of the UK, the European 1+ Million Genomes initiative, "
                  "Thailand and H3Africa."),
        objective("Propose a staged plan that starts from high-value clinical use cases."),
        objective("Describe governance, workforce and funding options, and how to measure "
                  "progress.", "DE.2"),
    ],
    intended_audience="Policymakers, ministry of health staff, programme managers, and "
                      "clinical and laboratory leaders.",
    level="advanced",
    estimated_hours="1.5",
    cpd_credit_hours="1.5",
    prerequisites="<p>Familiarity with how your health system is organised and financed. "
                  "<i>Consent and data sharing in genomic medicine</i> is recommended.</p>",
    educators=[
        Educator("Dr Somchai Wongsa", "Public health physician, health policy"),
        Educator("Dr Chiamaka Okafor", "Genomics programme manager"),
    ],
    modules=[MODULE_1, MODULE_2, MODULE_3],
)
