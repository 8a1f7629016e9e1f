"""A short demo series about CCSVI, written for this site. Every fact is one that
../shared/evidence/ccsvi-evidence.md marks VERIFIED, with its source."""

SERIES = {
    "slug": "ccsvi-step-by-step",
    "title": "CCSVI, step by step",
    "summary": "Where the idea came from, what blinded studies found, and what the "
               "sham-controlled trials of venous angioplasty showed.",
}

ARTICLES = [
    {
        "slug": "ccsvi-part-1-where-the-idea-came-from",
        "title": "CCSVI, part 1: where the idea came from",
        "summary": "In 2009 a team in Ferrara proposed that narrowed neck and chest veins were "
                   "linked to MS.",
        "order_in_series": 1,
        "body": """\
In 2009 Paolo Zamboni and colleagues at the University of Ferrara examined 65 people with MS and
235 people without it using Doppler ultrasound of the veins of the head and neck. They called a
pattern of abnormal flow, present when **at least two of five criteria** were met, *chronic
cerebrospinal venous insufficiency* (CCSVI), and reported that it was strongly associated with
MS (odds ratio 43).

The same group then treated 65 people with MS and CCSVI by widening the narrowed veins
(percutaneous transluminal angioplasty) in an open-label study: everyone knew they had been
treated. The authors reported “some positive effects” and said that controlled trials were
needed.

**Sources**

- Zamboni P, et al. *J Neurol Neurosurg Psychiatry* 2009;80(4):392–399.
  [Full text](https://pmc.ncbi.nlm.nih.gov/articles/PMC2647682/)
- Zamboni P, et al. *J Vasc Surg* 2009;50(6):1348–1358. doi:10.1016/j.jvs.2009.07.096
""",
    },
    {
        "slug": "ccsvi-part-2-the-blinded-studies",
        "title": "CCSVI, part 2: is it more common in MS?",
        "summary": "When the people reading the scans did not know who had MS, CCSVI was rare "
                   "and no more common in MS.",
        "order_in_series": 2,
        "body": """\
Later studies checked the idea with the readers of the scans *blinded*: they did not know who
had MS.

- **CoSMo** (35 Italian MS centres, 1,767 people assessed): CCSVI was found in 3.26% of people
  with MS, 3.10% of people with other neurological diseases and 2.13% of healthy people. The
  authors concluded that “CCSVI is not associated with MS”.
- **A Canadian catheter-venography study** (177 adults): the venography criteria for CCSVI were
  met by 2% of people with MS, 2% of their siblings and 3% of unrelated healthy people.
- **Barreto and colleagues** (206 people with MS, 70 without): CCSVI in 3.88% with MS and 7.14%
  without.

**Sources**

- Comi G, et al. (CoSMo). *Mult Scler* 2013;19(11):1508–17.
  [PubMed](https://pubmed.ncbi.nlm.nih.gov/24014572/)
- Traboulsee AL, et al. *Lancet* 2014;383(9912):138–145.
- Barreto et al. *Ann Neurol* 2013;73:721–728.
  [Full text](https://pmc.ncbi.nlm.nih.gov/articles/PMC3657573)
""",
    },
    {
        "slug": "ccsvi-part-3-the-sham-controlled-trials",
        "title": "CCSVI, part 3: did widening the veins help?",
        "summary": "Three trials compared venous angioplasty with a sham procedure. None found a "
                   "benefit.",
        "order_in_series": 3,
        "body": """\
In a sham-controlled trial some people have the real procedure and some a look-alike, and
neither they nor the assessors know which. It is the fair way to separate the procedure from
hope.

- **Brave Dreams**, led by Paolo Zamboni himself (115 people with relapsing-remitting MS, 6
  Italian centres): venous angioplasty “cannot be recommended for patients with
  relapsing-remitting multiple sclerosis”.
- **The Canadian trial** (104 people randomised, 48 weeks): no benefit over sham; serious
  adverse events in 5 of 49 after venoplasty and 1 of 55 after sham.
- **PREMiSe** (United States): venous angioplasty “is not an effective treatment for MS over the
  short term and may exacerbate underlying disease activity”.

In May 2012 the US Food and Drug Administration said there was “no reliable evidence from
controlled clinical trials that this procedure is effective in treating Multiple Sclerosis
(MS)”.

**Sources**

- Zamboni P, Tesio L, Galimberti S, et al. *JAMA Neurol* 2018;75(1):35–43.
  [Full text](https://pmc.ncbi.nlm.nih.gov/articles/PMC5833494/)
- Traboulsee AL, et al. *Neurology* 2018;91(18):e1660–e1668.
  [PubMed](https://pubmed.ncbi.nlm.nih.gov/30266886/)
- Siddiqui AH, et al. *Neurology* 2014;83(5):441–9.
  [Full text](https://pmc.ncbi.nlm.nih.gov/articles/PMC4132574/)
""",
    },
]
