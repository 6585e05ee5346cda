"""IT/Bioinformatics: genomic data standards, from VCF and GA4GH APIs to HL7 FHIR Genomics."""

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

LI_2009 = ref(
    "Li H, Handsaker B, Wysoker A, et al. The Sequence Alignment/Map format and SAMtools. "
    "Bioinformatics. 2009;25(16):2078-2079.",
    doi="10.1093/bioinformatics/btp352",
)
DANECEK_2011 = ref(
    "Danecek P, Auton A, Abecasis G, et al. The variant call format and VCFtools. "
    "Bioinformatics. 2011;27(15):2156-2158.",
    doi="10.1093/bioinformatics/btr330",
)
REHM_2021 = ref(
    "Rehm HL, Page AJH, Smith L, et al. GA4GH: International policies and standards for data "
    "sharing across genomic research and healthcare. Cell Genomics. 2021;1(2):100029.",
    doi="10.1016/j.xgen.2021.100029",
)
KELLEHER_2019 = ref(
    "Kelleher J, Lin M, Albach CH, et al. htsget: a protocol for securely streaming genomic "
    "data. Bioinformatics. 2019;35(1):119-121.",
    doi="10.1093/bioinformatics/bty492",
)
FIUME_2019 = ref(
    "Fiume M, Cupak M, Keenan S, et al. Federated discovery and sharing of genomic data using "
    "Beacons. Nat Biotechnol. 2019;37(3):220-224.",
    doi="10.1038/s41587-019-0046-x",
)
JACOBSEN_2022 = ref(
    "Jacobsen JOB, Baudis M, Baynam GS, et al. The GA4GH Phenopacket schema defines a "
    "computable representation of clinical data. Nat Biotechnol. 2022;40(6):817-820.",
    doi="10.1038/s41587-022-01357-4",
)
FHIR_GENOMICS = ref(
    "HL7 International Clinical Genomics Work Group. HL7 FHIR Genomics Reporting "
    "Implementation Guide.",
    url="https://hl7.org/fhir/uv/genomics-reporting/",
)

MODULE_1 = Module(
    slug="from-sequencer-to-vcf",
    title="From sequencer to variant file: FASTQ, BAM/CRAM and VCF",
    summary="The files a sequencing pipeline produces, what a VCF line says, and why the "
            "reference genome build matters.",
    estimated_minutes=25,
    body=[
        heading("Three files, three stages"),
        text("""
<p>A clinical sequencing pipeline turns a blood or saliva sample into a short list of variants
through three main stages, each with its own standard file format:</p>
<ol>
<li><b>FASTQ</b>: the raw reads from the sequencer, each a short string of bases with a
quality score for every base.</li>
<li><b>BAM or CRAM</b>: the reads aligned to a reference genome. BAM is the binary form of the
SAM format; CRAM compresses the same information further by storing differences from the
reference, often halving storage.</li>
<li><b>VCF</b>: the Variant Call Format, listing only the positions where the sample differs
from the reference.</li>
</ol>
<p>The formats are maintained as open specifications (the "hts-specs") under the Global
Alliance for Genomics and Health (GA4GH), so files from different laboratories and tools can
be read the same way.</p>
"""),
        heading("Reading a VCF line"),
        text("""
<p>After header lines that begin with <code>##</code>, a VCF has one line per variant with
tab-separated columns: <code>CHROM POS ID REF ALT QUAL FILTER INFO FORMAT</code> followed by one
column per sample. An illustrative line:</p>
<p><code>chr13  32340300  .  GT  G  812  PASS  DP=74  GT:AD  0/1:38,36</code></p>
<p>This says that on chromosome 13 at position 32,340,300 the reference bases GT became G (a
one-base deletion); the call passed the pipeline's filters; 74 reads covered the position; and
the sample is heterozygous (<code>0/1</code>), with 38 reads showing the reference and 36 the
variant. The line on its own does not name the gene or the effect: annotation tools add those
later, and the report translates them into HGVS nomenclature.</p>
"""),
        key_point("""
<p>Positions only make sense with the <b>reference genome build</b>. The same variant has
different coordinates on GRCh37 (hg19) and GRCh38 (hg38). Every file, report and database
query must state its build; mixing builds is a classic source of missed or wrong
variants.</p>
""", title="Always state the build"),
        case(
            "The variant that disappeared",
            """
<p>A hospital moves its pipeline from GRCh37 to GRCh38. A clinician asks the bioinformatics
team to check a family's known variant, recorded in an old spreadsheet only as "chr17
position and base change". The new pipeline shows nothing at that position.</p>
""",
            "What has probably happened, and how should the team respond?",
            """
<p>The position was almost certainly a GRCh37 coordinate, looked up on GRCh38. The team should
convert (lift over) the coordinate with a validated tool, confirm it against the HGVS
description with a versioned transcript from the original report, and record the build
alongside every stored variant in future. Storing HGVS descriptions with their transcript
versions, not only positions, protects against this.</p>
""",
        ),
        term("Reference genome build", "A specific version of the human reference sequence, "
             "such as GRCh37 or GRCh38, against which reads are aligned and positions are "
             "numbered."),
        term("gVCF", "A genome VCF: a VCF that also records the stretches where the sample "
             "matches the reference, so that \"no variant\" can be told apart from \"not "
             "covered\"."),
        references(LI_2009, DANECEK_2011),
    ],
)

MODULE_2 = Module(
    slug="ga4gh-standards",
    title="GA4GH standards: Beacon, htsget, DRS and Phenopackets",
    summary="The Global Alliance for Genomics and Health standards that let genomic data be "
            "found, streamed and shared without being copied everywhere.",
    estimated_minutes=25,
    body=[
        heading("Why standards for sharing?"),
        text("""
<p>A diagnosis for a rare disease often depends on finding a second patient with a similar
variant and phenotype somewhere else in the world. But genomic data are large, sensitive and
often legally required to stay in their country of origin. The Global Alliance for Genomics and
Health (GA4GH), founded in 2013, develops standards so that data can be discovered and
analysed where they are, with the right permissions.</p>
"""),
        heading("The main standards"),
        text("""
<ul>
<li><b>Beacon</b>: a discovery API. The first version answered one question, "do you have any
genome with this allele?", with yes or no. Beacon v2 adds richer queries, for example by
phenotype, returning counts or records according to the requester's permissions.</li>
<li><b>htsget</b>: streams just the part of a BAM, CRAM or VCF file that is needed (for
example one gene region) over HTTPS, instead of downloading a whole genome.</li>
<li><b>refget</b>: retrieves reference sequences by a checksum of their content, so that two
systems can prove they used exactly the same reference.</li>
<li><b>DRS (Data Repository Service)</b>: gives each data object a stable identifier that
resolves to current access methods and checksums, whichever cloud or server holds it.</li>
<li><b>Phenopackets</b>: a schema for exchanging a patient's phenotype (coded with the Human
Phenotype Ontology), diagnoses, and genetic findings. It was approved as an ISO standard
(ISO 4454:2022).</li>
<li><b>Passports and the Data Use Ontology (DUO)</b>: machine-readable statements of who a
researcher is and what they may access, and of what the consent for each dataset allows.</li>
</ul>
"""),
        key_point("""
<p>Standards such as htsget, DRS and the workflow execution APIs make <b>federated</b>
analysis possible: the analysis travels to the data, and only results come back. This suits
countries whose laws require genomic data to stay within their borders.</p>
""", title="Move the question, not the data"),
        case(
            "A rare disease without a match",
            """
<p>A paediatric team has exome data from a child with an unexplained developmental disorder
and a novel variant in a gene of uncertain clinical significance. The national law does not
allow the data to leave the country.</p>
""",
            "How could GA4GH standards help the team find similar patients?",
            """
<p>The team can query Beacon networks to ask whether other centres have seen the variant, and
describe the child's features as a Phenopacket with Human Phenotype Ontology terms for
matchmaking services. Neither needs the genome itself to leave the country; if a match is
found, the clinicians make contact and share further information under the appropriate
agreements and consent.</p>
""",
        ),
        term("Human Phenotype Ontology (HPO)", "A controlled vocabulary of clinical features, "
             "such as \"seizure\" or \"short stature\", with codes that computers can compare.",
             synonyms="HPO"),
        term("Federated analysis", "Running an analysis in each place where data are held and "
             "combining only the results, so that individual-level data do not move."),
        references(REHM_2021, FIUME_2019, KELLEHER_2019, JACOBSEN_2022),
    ],
)

MODULE_3 = Module(
    slug="fhir-genomics",
    title="Genomic results in the health record: HL7 FHIR Genomics",
    summary="Why a PDF report is not enough, and how FHIR represents variants and their "
            "clinical implications so that systems can act on them.",
    estimated_minutes=20,
    body=[
        heading("Beyond the PDF"),
        text("""
<p>Most genetic results still reach the clinic as a PDF. A person can read it, but a computer
cannot: it cannot warn a prescriber that a patient carries HLA-B*15:02, list every patient
with a variant that has just been reclassified, or count results for a national registry.
For that, results must also be sent as <b>structured data</b>.</p>
"""),
        heading("FHIR in brief"),
        text("""
<p>HL7 FHIR (Fast Healthcare Interoperability Resources) is the most widely adopted standard
for exchanging health data through web APIs. Data are divided into <i>resources</i> such as
Patient, ServiceRequest, Specimen, Observation and DiagnosticReport. The <b>Genomics Reporting
Implementation Guide</b> defines profiles of these resources for genetic results,
including:</p>
<ul>
<li>a <b>genomic report</b> that groups the findings of a test;</li>
<li>a <b>variant</b> observation: gene, HGVS description, reference build, zygosity;</li>
<li>a <b>diagnostic implication</b>: the classification of a variant for a condition;</li>
<li>a <b>therapeutic implication</b>: what a genotype means for a medicine, as used in
pharmacogenomic results.</li>
</ul>
<p>Values are coded with shared vocabularies (LOINC for the question asked, HGNC for gene
names, HGVS for variants, ClinVar identifiers) so that receiving systems can interpret them
without custom mapping.</p>
"""),
        key_point("""
<p>Structured results and the PDF serve different readers. Send both: the PDF for the
clinician and the patient, the FHIR resources for decision support, reclassification
tracking and registries.</p>
"""),
        case(
            "Building a pharmacogenomic alert",
            """
<p>A national hospital wants its prescribing system to warn when carbamazepine is ordered for
a patient who carries HLA-B*15:02. The laboratory currently emails PDF reports.</p>
""",
            "What needs to be in place for the alert to work?",
            """
<p>The laboratory must send the result as structured data (for example a FHIR Observation
stating the HLA-B*15:02 genotype and its therapeutic implication), linked reliably to the
right patient; the prescribing system must store it in a place that outlives the episode of
care; and a decision-support rule, based on CPIC guidance, must fire at the point of
ordering. The PDF can still be attached for people to read.</p>
""",
        ),
        term("FHIR resource", "A small, self-contained unit of health data, such as an "
             "Observation or a Patient, with a defined structure and a web address."),
        references(FHIR_GENOMICS, REHM_2021),
    ],
)

COURSE = Course(
    domain="it-bioinformatics",
    slug="genomic-data-standards",
    title="Genomic data standards: from VCF to FHIR",
    summary="The file formats, GA4GH APIs and HL7 FHIR Genomics resources that carry genomic "
            "data from the sequencer to the clinic and between countries.",
    description="""
<p>Genomic medicine depends on data moving safely and predictably between sequencers,
laboratories, health records and researchers. This course introduces the core file formats
(FASTQ, BAM/CRAM, VCF), the GA4GH standards for finding and sharing data (Beacon, htsget, DRS,
Phenopackets), and HL7 FHIR Genomics for putting results into the health record. It is written
for clinicians and informaticians who need to talk to each other.</p>
""",
    learning_objectives=[
        objective("Describe FASTQ, BAM/CRAM and VCF files and read a simple VCF line.", "DE.1"),
        objective("Explain why the reference genome build must travel with every variant.", "IR.1"),
        objective("Describe what Beacon, htsget, refget, DRS and Phenopackets are for.", "DE.3"),
        objective("Explain how HL7 FHIR Genomics makes results usable by decision support.",
                  "DE.1"),
    ],
    intended_audience="Health informaticians, bioinformaticians, laboratory scientists, and "
                      "clinicians involved in digital health or genomic services.",
    level="intermediate",
    estimated_hours="1.5",
    cpd_credit_hours="1.0",
    prerequisites="<p>Basic molecular genetics. No programming is required.</p>",
    educators=[
        Educator("Dr Ayesha Rahman", "Bioinformatician, national genomics platform"),
        Educator("Mr Kofi Mensah", "Health informatics lead"),
    ],
    modules=[MODULE_1, MODULE_2, MODULE_3],
)
