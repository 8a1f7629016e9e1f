"""The CCSVI venoplasty treatment as shipped in the demo content.

Every medical fact here comes from ../shared/evidence/ccsvi-evidence.md and is one it marks
VERIFIED (the one exception, the Canadian trial's overall finding, uses the wording that file
suggests in its section 9). Sentences are ours; numbers and quotes are the sources'.
"""

CCSVI_VENOPLASTY = {
    "slug": "ccsvi-venoplasty",
    "name": "Venous angioplasty for CCSVI (the “Liberation Treatment”)",
    "short_name": "venoplasty",
    "also_known_as": "venoplasty, percutaneous transluminal angioplasty (PTA), "
    "“Liberation Treatment”",
    "summary": (
        "Widening neck and chest veins with a balloon, proposed for MS in 2009. "
        "Sham-controlled trials, one led by the doctor who proposed it, found it did not help."
    ),
    "about": """\
In 2009 Paolo Zamboni and colleagues at the University of Ferrara described a pattern of narrowed
or blocked veins draining the brain and spinal cord, which they called **chronic cerebrospinal
venous insufficiency (CCSVI)**, and reported that it was strongly associated with MS (odds ratio
43) [1]. It is a *proposed* condition: later blinded studies did not find it more often in people
with MS than in people without [4].

The treatment offered for it is **venous angioplasty** (venoplasty, or percutaneous transluminal
angioplasty, PTA): the narrowed jugular or azygos veins are widened from inside with a balloon,
and sometimes a stent is left in place. It was promoted to people with MS as the “Liberation
Treatment”.
""",
    "evidence": """\
**Sham-controlled trials found that venous angioplasty does not help people with MS.** In a
sham-controlled trial, some people have the real procedure and some have a look-alike procedure
without the treatment, and neither they nor the people measuring the results know which they had.
That is the only fair way to separate what the procedure does from hope and expectation.

- **Brave Dreams** (Italy, led by Paolo Zamboni himself; 115 people with relapsing-remitting MS;
  randomised, double-blind, sham-controlled). Its main measure of function (walking, balance,
  hand dexterity, bladder emptying and eyesight together) improved in 41.7% of people after
  angioplasty and in 48.7% after the sham procedure: no difference. Its conclusion: venous
  angioplasty “cannot be recommended for patients with relapsing-remitting multiple
  sclerosis” [2].
- **The Canadian trial** (Traboulsee and colleagues; 104 people with relapsing or progressive MS
  randomised to venoplasty or sham, followed for 48 weeks, double-blind) also found no benefit:
  quality of life, its main measure, and relapses did not differ between venoplasty and sham.
  Serious adverse events were more common after venoplasty: 5 of 49 (10%) against 1 of 55 (2%)
  after sham, though they were reported as unrelated to the procedure [3].
- **PREMiSe** (United States; a small sham-controlled trial) concluded that venous angioplasty
  “is not an effective treatment for MS over the short term and may exacerbate underlying disease
  activity” [5].

**The condition itself is doubtful.** CoSMo, a blinded study of 1,767 people at 35 Italian MS
centres, found CCSVI in 3.26% of people with MS, 3.10% of people with other neurological diseases
and 2.13% of healthy people, and concluded that “CCSVI is not associated with MS” [4].

**Safety.** On 10 May 2012 the US Food and Drug Administration said there was “no reliable
evidence from controlled clinical trials that this procedure is effective in treating Multiple
Sclerosis (MS)”, and that “the criteria used to diagnose CCSVI have not been adequately
established” [6].
""",
    "sources": """\
1. Zamboni P, Galeotti R, Menegatti E, et al. *J Neurol Neurosurg Psychiatry*
   2009;80(4):392–399. [Full text](https://pmc.ncbi.nlm.nih.gov/articles/PMC2647682/)
2. Zamboni P, Tesio L, Galimberti S, et al. (Brave Dreams). *JAMA Neurol* 2018;75(1):35–43
   (online November 2017). PMID 29150995.
   [Full text](https://pmc.ncbi.nlm.nih.gov/articles/PMC5833494/)
3. Traboulsee AL, Machan L, Girard JM, et al. Safety and efficacy of venoplasty in MS: a
   randomized, double-blind, sham-controlled phase II trial. *Neurology*
   2018;91(18):e1660–e1668. PMID 30266886.
   [PubMed](https://pubmed.ncbi.nlm.nih.gov/30266886/)
4. Comi G, et al. (CoSMo). *Mult Scler* 2013;19(11):1508–17. doi:10.1177/1352458513501231.
   [PubMed](https://pubmed.ncbi.nlm.nih.gov/24014572/)
5. Siddiqui AH, et al. (PREMiSe). *Neurology* 2014;83(5):441–9.
   [Full text](https://pmc.ncbi.nlm.nih.gov/articles/PMC4132574/)
6. US Food and Drug Administration. Safety communication on CCSVI treatment, 10 May 2012, as
   reported in the [FDA MedSun newsletter #73, June 2012](http://www.accessdata.fda.gov/scripts/cdrh/cfdocs/medsun/news/printer.cfm?id=1676).
""",
}


# The evidence page's studies and warnings, each from a fact the evidence file marks VERIFIED
# (Brave Dreams' 41.7% and 48.7% are the abstract's figures as quoted in the trial news; the
# issue that asked for this page names them). Order: trials, then the condition, then safety.
CCSVI_EVIDENCE_ITEMS = [
    {
        "kind": "controlled_trial",
        "name": "Brave Dreams",
        "published": "2018 (online November 2017)",
        "findings": (
            "Randomised, double-blind, sham-controlled trial at 6 MS centres in Italy, led by "
            "Paolo Zamboni, who first described CCSVI. 115 people with relapsing-remitting MS "
            "were assigned 2:1 to angioplasty or to venography without angioplasty (sham).\n\n"
            "The main measure of function (walking, balance, hand dexterity, bladder emptying "
            "and eyesight together) improved in 41.7% after angioplasty and 48.7% after sham: "
            "no difference. Angioplasty did not reduce new brain lesions on MRI at 12 months. "
            "The authors' conclusion: venous angioplasty “cannot be recommended for patients "
            "with relapsing-remitting multiple sclerosis”."
        ),
        "citation": "Zamboni P, Tesio L, Galimberti S, et al. JAMA Neurol 2018;75(1):35–43. "
        "PMID 29150995.",
        "url": "https://pmc.ncbi.nlm.nih.gov/articles/PMC5833494/",
    },
    {
        "kind": "controlled_trial",
        "name": "The Canadian venoplasty trial",
        "published": "2018",
        "findings": (
            "Randomised, double-blind, sham-controlled trial at Canadian centres. 104 people with "
            "relapsing or progressive MS and more than 50% narrowing confirmed by venography "
            "were assigned 1:1 to balloon or sham venoplasty and followed for 48 weeks.\n\n"
            "Quality of life (MSQOL-54), the main measure, did not differ between venoplasty "
            "and sham, and neither did relapses. Serious adverse events: 5 of 49 (10%) after "
            "venoplasty, 1 of 55 (2%) after sham."
        ),
        "citation": "Traboulsee AL, Machan L, Girard JM, et al. Safety and efficacy of "
        "venoplasty in MS: a randomized, double-blind, sham-controlled phase II trial. "
        "Neurology 2018;91(18):e1660–e1668. PMID 30266886.",
        "url": "https://pubmed.ncbi.nlm.nih.gov/30266886/",
    },
    {
        "kind": "controlled_trial",
        "name": "PREMiSe",
        "published": "2014",
        "findings": (
            "A small sham-controlled trial in the United States (10 sham, 9 treated in its "
            "second phase). MRI activity trended higher, not lower, after angioplasty. The "
            "authors' conclusion: venous angioplasty “is not an effective treatment for MS over "
            "the short term and may exacerbate underlying disease activity”."
        ),
        "citation": "Siddiqui AH, et al. Neurology 2014;83(5):441–9.",
        "url": "https://pmc.ncbi.nlm.nih.gov/articles/PMC4132574/",
    },
    {
        "kind": "review",
        "name": "Cochrane review CD009903",
        "published": "searches to 30 August 2018",
        "findings": (
            "A systematic review of randomised trials of venous angioplasty for MS. Its update "
            "includes three trials: PREMiSe, the Canadian trial and Brave Dreams."
        ),
        "citation": "Cochrane Database of Systematic Reviews, CD009903.pub3.",
        "url": "https://cochranelibrary.com/cdsr/doi/10.1002/14651858.CD009903.pub3/references/de",
    },
    {
        "kind": "condition_study",
        "name": "The first description of CCSVI",
        "published": "2009",
        "findings": (
            "Zamboni and colleagues at the University of Ferrara examined the neck and chest "
            "veins of people with MS and controls with Doppler ultrasound and described a "
            "pattern they called CCSVI, reporting that it was strongly associated with MS "
            "(odds ratio 43)."
        ),
        "citation": "Zamboni P, Galeotti R, Menegatti E, et al. J Neurol Neurosurg Psychiatry "
        "2009;80(4):392–399.",
        "url": "https://pmc.ncbi.nlm.nih.gov/articles/PMC2647682/",
    },
    {
        "kind": "condition_study",
        "name": "CoSMo",
        "published": "2013",
        "findings": (
            "A blinded study of 1,767 people at 35 Italian MS centres found CCSVI in 3.26% of "
            "people with MS, 3.10% of people with other neurological diseases and 2.13% of "
            "healthy people. The authors' conclusion: “CCSVI is not associated with MS”."
        ),
        "citation": "Comi G, et al. Mult Scler 2013;19(11):1508–17. "
        "doi:10.1177/1352458513501231.",
        "url": "https://pubmed.ncbi.nlm.nih.gov/24014572/",
    },
    {
        "kind": "condition_study",
        "name": "The Canadian venography study",
        "published": "2014",
        "findings": (
            "An assessor-blinded study at 3 Canadian centres imaged the veins of 177 adults with "
            "catheter venography: 79 with MS, 55 of their unaffected siblings and 43 unrelated "
            "healthy people. The venography criteria for CCSVI were met by 1 of 65 (2%) people "
            "with MS, 1 of 46 (2%) siblings and 1 of 32 (3%) controls."
        ),
        "citation": "Traboulsee AL, et al. Lancet 2014;383(9912):138–145. PMID 24119384.",
        "url": "https://pubmed.ncbi.nlm.nih.gov/24119384/",
    },
    {
        "kind": "case_series",
        "name": "Italian multicentre series of 462 treated people",
        "published": "2013",
        "findings": (
            "A look back at 462 people treated at 33 centres (balloon in 93%), followed for 31 "
            "weeks on average, without a comparison group. Disability scores did not change; "
            "98 people (21%) had relapses; 15 severe adverse events occurred (3.2%). The "
            "authors' conclusion: the treatment “should not be recommended”."
        ),
        "citation": "Endovascular treatment of CCSVI in patients with multiple sclerosis: "
        "clinical outcome of 462 cases. Neurol Sci 2013. doi:10.1007/s10072-013-1300-5.",
        "url": "https://link.springer.com/article/10.1007/s10072-013-1300-5",
    },
    {
        "kind": "case_series",
        "name": "95 consecutive treated people",
        "published": "2013",
        "findings": (
            "Of 95 people treated with angioplasty (107 procedures), 3 (3.2%) had a clot in the "
            "treated jugular vein afterwards, and 4 had bleeding where the catheter went in that "
            "did not need a transfusion."
        ),
        "citation": "AJR Am J Roentgenol 2013;200(6):1358–64.",
        "url": "https://pubmed.ncbi.nlm.nih.gov/23701076/",
    },
    {
        "kind": "safety_warning",
        "name": "US Food and Drug Administration safety communication",
        "published": "10 May 2012",
        "findings": (
            "The FDA said: “At this time, the FDA believes there is no reliable evidence from "
            "controlled clinical trials that this procedure is effective in treating Multiple "
            "Sclerosis (MS). In addition, the criteria used to diagnose CCSVI have not been "
            "adequately established.”"
        ),
        "citation": "US Food and Drug Administration, safety communication of 10 May 2012, as "
        "reported in FDA MedSun Newsletter #73, June 2012.",
        "url": "http://www.accessdata.fda.gov/scripts/cdrh/cfdocs/medsun/news/printer.cfm?id=1676",
    },
]
