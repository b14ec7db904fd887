"""The public sources behind the flag rules, by id, compiled into the app: S1-S34, F
and H for the first rules, S35-S62 for those of version 2026.12, S63-S72 for those of 2027.01,
S73-S81 for those of 2027.02 (return visits) (where no stable address of the article is known, the link is a search for its title in PubMed or
DailyMed). Nothing outside the app is
read at run time. A flag shows each of its sources by title with a link; an unknown id shows as the id."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str


SOURCES: dict[str, Source] = {
    source.id: source
    for source in (
        Source(
            "S1",
            "ASDS Guidelines Task Force: Consensus Recommendations Regarding the Safety of Lasers, Dermabrasion, Chemical Peels, Energy Devices, and Skin Surgery During and After Isotretinoin Use (Waldman et al., Dermatol Surg 2017)",
            "https://insights.ovid.com/pubmed?pmid=28498204",
        ),
        Source(
            "S2",
            "Isotretinoin and Timing of Procedural Interventions: A Systematic Review With Consensus Recommendations (Spring et al., JAMA Dermatol 2017)",
            "https://stanfordhealthcare.org/publications/487/487487.html",
        ),
        Source(
            "S3",
            "Dropping the Delay: Safety of Procedural Interventions During and After Isotretinoin Use (Canadian Dermatology Today, 2022)",
            "https://www.canadiandermatologytoday.com/articles/dropping-the-delay-safety-of-procedural-interventions-during-and-after-isotretinoin-use/",
        ),
        Source(
            "S4",
            "Concomitant use of isotretinoin and lasers with implications for future guidelines: an updated systematic review (Mirza et al., Dermatol Ther 2020)",
            "https://deepblue.lib.umich.edu/handle/2027.42/163929?show=full",
        ),
        Source(
            "S5",
            "Mayo Clinic, Laser resurfacing: Risks",
            "http://www.mayoclinic.org/tests-procedures/laser-resurfacing/details/risks/cmc-20323318?p=1",
        ),
        Source(
            "S6",
            "Mayo Clinic, Laser resurfacing: How you prepare (mirror)",
            "https://www.mymlc.com/health-information/tests-and-procedures/l/laser-resurfacing2/?section=How%2520you%2520prepare",
        ),
        Source(
            "S7",
            'Lasers and Energy Devices for the Skin (textbook), Box 6.2 "Relative Contraindications to Skin Resurfacing"',
            "http://what-when-how.com/Tutorial/topic-456n7/Lasers-and-Energy-Devices-for-the-Skin-136.html",
        ),
        Source(
            "S8",
            "Fractional lasers in dermatology: current status and recommendations (Goel et al., IJDVL 2011, PMID 21508586). Its contraindication list was read as quoted on a forum page.",
            "http://47.251.13.51:8081/21508586",
        ),
        Source(
            "S9",
            "Laser treatment: Contraindications (textbook-derived page covering keloids, isotretinoin, HSV prophylaxis, aspirin/anticoagulants, phototype, photosensitisers, pregnancy)",
            "https://www.78stepshealth.us/laser-treatment/contraindications.html",
        ),
        Source(
            "S10",
            "Herpes Simplex Virus Prophylaxis With Famciclovir in Patients Undergoing Aesthetic Facial CO2 Laser Resurfacing (Bisaccia & Scarborough)",
            "https://jhm.qa00.mdedge.com/dermatology/article/67018/herpes-simplex-virus-prophylaxis-famciclovir-patients-undergoing-aesthetic",
        ),
        Source(
            "S11",
            "Valacyclovir Prophylaxis for Herpes Simplex Virus Infection or Infection Recurrence Following Laser Skin Resurfacing",
            "https://scilit.com/publications/92e742c72f39d677c8685b55c24d00ab",
        ),
        Source(
            "S12",
            "Facial resurfacing in patients with Fitzpatrick skin type IV (Sriprachya-anunt et al., Lasers Surg Med 2002)",
            "https://zendy.io/title/10.1002/lsm.10012",
        ),
        Source(
            "S13",
            "Nonablative Fractional Laser Resurfacing in Skin of Color: Evidence-based Review (Kaushik & Alexis)",
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC5605208",
        ),
        Source(
            "S14",
            "The prevalence and risk factors of post-inflammatory hyperpigmentation after fractional resurfacing in Asians (Lasers Surg Med 2007)",
            "https://pubmed.ncbi.nlm.nih.gov/17518354/",
        ),
        Source(
            "S15",
            "A review of laser and light therapy in melasma (Trivedi et al., Int J Womens Dermatol 2017)",
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC5418955",
        ),
        Source(
            "S16",
            "Q-switched alexandrite laser-induced chrysiasis (Cohen & Ross, J Clin Aesthet Dermatol 2015)",
            "https://jcadonline.com/q-switched-alexandrite-laser-induced-chrysiasis/",
        ),
        Source(
            "S17",
            "FDA, Topical Anesthetic Drugs for Cosmetic Procedures (Public Health Advisory, 2007)",
            "http://www.fda.gov/Safety/MedWatch/SafetyInformation/SafetyAlertsforHumanMedicalProducts/ucm170312.htm",
        ),
        Source(
            "S18",
            "Safety of laser skin resurfacing in immunocompromised and diabetic patients (Eur J Plast Surg 2021)",
            "https://link.springer.com/article/10.1007/s00238-021-01847-9?error=cookies_not_supported&code=a9c84e48-f4ea-4078-b3c7-fbdf9c5cd804",
        ),
        Source(
            "S19",
            "GFE for Laser Hair Removal (drchrono form template: age 18+, pregnancy, photosensitising drugs, tan/self-tanner, infection, pigment history)",
            "https://app.drchrono.com/ehr-emr/medical-form-templates/4335116/lhr-gfe",
        ),
        Source(
            "S20",
            "Laser Hair Reduction Daily Consent (Skin Logic med spa: 4-week sun/self-tanner window, photosensitising drug examples)",
            "https://skinlogicmedspa.com/laser-hair-removal-safety-questionnaire-consent-renewal/",
        ),
        Source(
            "S21",
            "Laser Skin Resurfacing Consultation and Consent Form (sample: Fitzpatrick descriptions, 4-week no-tan rule, clotting-affecting drugs)",
            "https://aestheticsfor.ms/sample/MjU0MjM%3D",
        ),
        Source(
            "S22",
            "Microfractional Skin Surfacing consent form (Sydney Derm Lounge: anticoagulants, active infection, isotretinoin in the past year, immune compromise, keloids, pregnancy, skin cancer in area)",
            "https://www.sydneydermallounge.com.au/dashboard/informed-consent-forms/microfractional-skin-surfacing/",
        ),
        Source(
            "S23",
            "Fitzpatrick Classification of Skin Types I through VI (NCBI Bookshelf table) ; Fitzpatrick skin phototype (StatPearls abstract)",
            "https://www.ncbi.nlm.nih.gov/books/NBK481857/table/chapter6.t1/",
        ),
        Source(
            "S24",
            'American Society of Plastic Surgeons, Laser resurfacing: "is it right for me" (active acne, very dark skin, deep wrinkles, sagging skin)',
            "https://www.plasticsurgery.org/x30420",
        ),
        Source(
            "S25",
            "Cleveland Clinic, Laser skin resurfacing",
            "https://my.clevelandclinic.org/health/treatments/11015-laser-skin-resurfacing",
        ),
        Source(
            "S26",
            "Drug-Induced Photosensitivity: From Light and Chemistry to Biological Reactions and Clinical Symptoms (Pharmaceuticals 2021)",
            "https://www.mdpi.com/1424-8247/14/8/723",
        ),
        Source(
            "S27",
            '"Which anticoagulants are safe with laser procedures?" (Dr B. Irwin, SkinTour Q&A)',
            "https://www.skintour.com/q-and-a/which-anticoagulants-are-safe-with-laser-procedures/",
        ),
        Source(
            "S28",
            "Combined use of HA fillers and laser/light: updated consensus (Aesthetic Plast Surg 2019) ; Same-day botulinum toxin + full-face NAFL safety profile (Dermatol Surg 2021)",
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC6742610",
        ),
        Source(
            "S29",
            "Main Line Health, Laser resurfacing (hands, neck and chest heal less well and may thicken or scar)",
            "https://azure-tm.mainlinehealth.org/conditions-and-treatments/treatments/laser-resurfacing",
        ),
        Source(
            "S30",
            "Fractional ablative resurfacing patient selection, book chapter (skin types I–III for AFR, NAFL preferred off the face, stop retinoids one week before, HSV prophylaxis for all patients)",
            "https://www.taylorfrancis.com/books/9780429110368/chapters/10.3109/9781841847542-31",
        ),
        Source(
            "S31",
            '"Can you have a CO2 laser treatment if you are a smoker?" (expert answers: slower healing, stop 3–4 weeks before)',
            "https://www.zeel.com/t/co2-laser-resurfacing/expert-answers/can-you-have-a-co2-laser-treatment-if-you-are-a-smoker",
        ),
        Source(
            "S32",
            "Laser Skin Resurfacing Contraindications (Health Centre UK: many surgeons wait 18 months after isotretinoin)",
            "https://www.healthcentre.org.uk/cosmetic-treatments/laser-skin-resurfacing-contraindications.html",
        ),
        Source(
            "S33",
            "Resurfacing contraindication list (Italian clinic: gold salts, self-tanning creams within 2 weeks, deep peel/dermabrasion/laser within 6 months, suspicious lesions, coagulopathy)",
            "https://epilazionelaserbrescia.it/faq-items/controindicazioni-rughe/",
        ),
        Source(
            "S34",
            "Allure Plastic Surgery, contraindications FAQ (topical Retin-A: wait 2 weeks; raised lesions checked by a dermatologist first; fever-blister prophylaxis)",
            "https://www.allureplastic-md.com/faq/contraindications-patients-that-should-not-treated-include/",
        ),
        Source(
            "F1",
            "FDA, Clinical Decision Support Software Frequently Asked Questions (FAQs)",
            "https://fda.gov/medical-devices/software-medical-device-samd/clinical-decision-support-software-frequently-asked-questions-faqs",
        ),
        Source(
            "F2",
            "FDA, Clinical Decision Support Software: Guidance for Industry and FDA Staff (Sept 2022), official summary text ; full transcript",
            "https://go.nature.com/41xD0em",
        ),
        Source(
            "F3",
            "FDA Digital Health Policy Navigator, Step 6: Is the Software Function Intended to Provide Clinical Decision Support? (archived)",
            "https://public4.pagefreezer.com:443/content/FDA/23-01-2023T07:59/https://www.fda.gov/medical-devices/digital-health-center-excellence/step-6-software-function-intended-provide-clinical-decision-support",
        ),
        Source(
            "F4",
            "Covington, 5 Key Takeaways from FDA's Revised CDS Software Guidance (Jan 2026) ; Cooley, Automation Bias and Clinical Practice: FDA Makes Incremental Updates to CDS Guidance (Jan 2026)",
            "https://www.cov.com/en/news-and-insights/insights/2026/01/5-key-takeaways-from-fdas-revised-clinical-decision-support-cds-software-guidance",
        ),
        Source(
            "F5",
            "DiMe navigator summary of the CDS guidance (HCP-only; automation bias; plain-language basis) ; LFH Regulatory, When CDS Is Not a Medical Device",
            "https://navigator.dimesociety.org/?p=14783",
        ),
        Source(
            "H1",
            "45 CFR 164.312 Technical safeguards (regulation text)",
            "http://web.interhack.com/publications/hipaasec-rule164.312.php",
        ),
        Source(
            "H2",
            "ASHA, HIPAA technical safeguards (encryption and the breach-notification safe harbour)",
            "http://asha.org/practice/reimbursement/hipaa/technicalsafeguards/",
        ),
        Source(
            "H3",
            "HIPAA Privacy Regulations: Minimum Necessary, 45 CFR 164.502(b)",
            "https://www.brickergraydon.com/insights/resources/key/hipaa-privacy-regulations-general-rules-for-uses-and-disclosures-of-protected-health-information-minimum-necessary-164-502-b",
        ),
        Source(
            "H4",
            "OCR Bulletin: Use of online tracking technologies by HIPAA covered entities and business associates (text as updated Mar 2024) ; AHA v. Becerra outcome",
            "https://www.dotmed.com/legal/print/story.html?nid=62681",
        ),
        Source(
            "H5",
            "Where is the Best Location to Post a Notice of Privacy Practices? (45 CFR 164.520) ; HHS NPP FAQ index",
            "https://www.hipaaguide.net/best-location-to-post-a-notice-of-privacy-practices/",
        ),
        Source(
            "H6",
            "Aptible docs, Disclosure + Opt-In (quotes the 2013 Omnibus Rule preamble on unencrypted email after a risk warning)",
            "https://docs.aptible.com/docs/disclosure-opt-in",
        ),
        Source(
            "H7",
            "LuxSci, What to Look for in a HIPAA-Compliant Online Form Builder (BAA) ; Formisoft glossary (covered entity, BAA)",
            "https://luxsci.com/blog/what-to-look-for-in-a-hipaa-compliant-online-form-builder.html",
        ),
        Source(
            "H8",
            "Patient portal terms (not for emergencies; call 911)",
            "http://patientportal.eval.e-mds.com/LegalDocument/PrivacyStatement",
        ),
        Source(
            "S35",
            "Treatment of Cosmetic Tattoos: A Review and Case [Analysis] (title as cited), Dermatologic Surgery, 2018",
            "https://journals.lww.com/dermatologicsurgery/Abstract/2018/12000/Treatment_of_Cosmetic_Tattoos___A_Review_and_Case.11.aspx",
        ),
        Source(
            "S36",
            "Treatment of cosmetic tattoos using carbon dioxide ablative fractional resurfacing in an animal model, Dermatol Surg 39(4):571–7 (PubMed), 2013",
            "https://pubmed.ncbi.nlm.nih.gov/23294007/",
        ),
        Source(
            "S37",
            'Tattoos (chapter page, "Cosmetic applications of laser and light-based systems": burning, scarring, pigment change; "advisable to avoid lasing skin that has a tattoo"), uqu-sa.net mirror, 2015 (page update)',
            "http://uqu-sa.net/cosmetic-applications-of-laser-and-light-based-systems/tattoos",
        ),
        Source(
            "S38",
            "Combining a Facelift with Laser Resurfacing, J. McMahan MD (surgeon's page), n.d.",
            "https://www.jmcmahanmd.com/facial-cosmetic-surgery-columbus-oh/full-facelift/laser-resurfacing/",
        ),
        Source(
            "S39",
            "Facelift and Laser Peel Recovery, Dr Barry Eppley (surgeon Q&A), n.d.",
            "https://www.eppleyplasticsurgery.com/facelift-laser-peel-recovery/",
        ),
        Source(
            "S40",
            "Counterpoints on timing: Laser resurfacing and face lifts (Rothaus blog; fractional CO2 at day 10–11), n.d. ; Assessing safety/efficacy of combined facelift + CO2 laser resurfacing, 238 patients, Plastic Surgery Practice, 2014",
            "https://www.rothausmd.com/blog/laser-resurfacing-and-face-lifts/",
        ),
        Source(
            "S41",
            "Dermatologic electrosurgery in patients with implantable cardioverter-defibrillators and pacemakers, Dermatol Surg 24(2):233–40 (PMID 9491118), 1998",
            "https://pubmed.ncbi.nlm.nih.gov/9491118/",
        ),
        Source(
            "S42",
            "Electrosurgery in Patients With Implantable Electronic Cardiac Devices (Pacemakers and Defibrillators) (García-Bracamonte et al.), Actas Dermo-Sifiliográficas 104(2):128–32, 2013",
            "https://www.actasdermo.org/es-electrosurgery-in-patients-with-implantable-articulo-S1578219013000048",
        ),
        Source(
            "S43",
            "Cardiac devices and electromagnetic interference revisited: new radiofrequency technologies and implications for dermatologic surgery (abstract; journal and year not shown on the page), R Discovery",
            "https://discovery.researcher.life/article/cardiac-devices-and-electromagnetic-interference-revisited-new-radiofrequency-technologies-and-implications-for-dermatologic-surgery/e1f136c3f003357e82080f9e7f80ed66",
        ),
        Source(
            "S44",
            "Electrosurgery, pacemakers and ICDs: a survey of precautions and complications "
            "experienced by cutaneous surgeons (El-Gamal et al.), Dermatol Surg 27(4):385-90, 2001",
            # The source list gives no URL ("look up by title on PubMed"): a PubMed search for the title.
            "https://pubmed.ncbi.nlm.nih.gov/?term=Electrosurgery+pacemakers+ICDs+survey+"
            "precautions+complications+cutaneous+surgeons",
        ),
        Source(
            "S45",
            "Complications of Permanent Fillers (book chapter summary: late-onset granulomas, biofilm), clinicalpub, n.d.",
            "https://clinicalpub.com/complications-of-permanent-fillers",
        ),
        Source(
            "S46",
            "PMMA Safety for Facial Filling: Review of Rates of Granuloma Occurrence and Treatment Methods, Aesthetic Plastic Surgery, 2019 (per DOI)",
            "http://dx.doi.org/10.1007/s00266-019-01522-2",
        ),
        Source(
            "S47",
            "Understanding, Avoiding, and Treating Potential Adverse Events Following the Use of Injectable Poly-L-Lactic Acid (Vleggaar, Fitzgerald, Lorenc), J Drugs Dermatol 13(4 Suppl), 2014",
            "https://jddonline.com/articles/understanding-avoiding-and-treating-potential-adverse-events-following-the-use-of-injectable-poly-l-S1545961614S0035X/?_page=3",
        ),
        Source(
            "S48",
            "Porphyrias (Gou & Anderson, book chapter on photomedicine: EPP phototoxicity from operating-room lights), Taylor & Francis, n.d. ; What Is Photosensitivity? (porphyrins absorb around 400 nm), Porphyria Alliance, n.d. ; Cutaneous Porphyria FAQ (blue-violet light; skin fragility and blistering in PCT), APEX Collaborative, n.d.",
            "https://www.taylorfrancis.com/chapters/edit/10.1201/b15582-17/porphyrias-eric-gou-karl-anderson",
        ),
        Source(
            "S49",
            "Xeroderma pigmentosum (summary of the Skin Cancer Foundation's description; general reference, low quality), Reference.com, n.d.",
            "https://www.reference.com/health/xeroderma-pigmentosum-4342e137993537e8",
        ),
        Source(
            "S50",
            "Photosensitive epilepsy (3–30 Hz common triggers), Epilepsy Society (UK), n.d.",
            "https://epilepsysociety.org.uk/about-epilepsy/epileptic-seizures/seizure-triggers/photosensitive-epilepsy",
        ),
        Source(
            "S51",
            "IPL contraindication lists naming seizures, epilepsy, pacemaker, metal pins/plates (practice examples, low quality), Beyond Bliss Spa ; Somewhere Special, n.d.",
            "https://www.beyondblissspa.com/copy-of-5-stages-of-rosacea",
        ),
        Source(
            "S52",
            "Non-Tuberculous Mycobacterial Infections Following Cosmetic Laser Procedures: A Case Report and Review of the Literature (cites infection rates of 7.6% ablative vs 1.9% fractional), J Drugs Dermatol 14(1):80–83, 2015",
            "https://jddonline.com/articles/dermatology/S1545961615P0080X/4",
        ),
        Source(
            "S53",
            "Laser Adverse Event Protocol: Infections (Bacterial, Viral, Fungal) (S. aureus incl. MRSA; history of recurrent skin infections as a risk factor), Newcastle Cosmetic Doctor (clinic protocol), 2025",
            "https://newcastlecosmeticdoctor.com.au/policies/laser-energy-safety/laser-adverse-event-protocol-infections-bacterial-viral-fungal",
        ),
        Source(
            "S54",
            "Lasers and Energy Devices for the Skin (textbook), infection section (staphylococcal prophylaxis, intranasal mupirocin, toxic shock after S. aureus infection), what-when-how mirror (same book as S7), n.d.",
            "http://what-when-how.com/Tutorial/topic-456n7/Lasers-and-Energy-Devices-for-the-Skin-138.html",
        ),
        Source(
            "S55",
            'Acitretin (patient drug information: pregnancy avoided for at least 3 years after the last dose), Cigna, n.d. ; Acitretin boxed warning text (US labelling), BlackBoxRx, n.d. ; Acitretin formulary entry quoting MHRA 2019 ("at least 2 years"), NHS Doncaster CCG, n.d.',
            "https://www.cigna.com/knowledge-center/hw/medications/acitretin-d03836a1",
        ),
        Source(
            "S56",
            "Allergic Contact Dermatitis and Topical Antibiotics (Douglas; neomycin 10%, bacitracin 9.2% of NACDG patch tests 2005–06), Dermatology Nursing via Medscape, n.d. ; Frequency of postoperative allergic contact dermatitis to topical antibiotics (Gette, Marks, Maloney; 4.2%), UMass repository, n.d.",
            "https://www.medscape.com/viewarticle/735534",
        ),
        Source(
            "S57",
            "Allergic contact dermatitis caused by lanolin (wool) alcohol contained in an emollient in three postsurgical patients (Nguyen et al.), J Am Acad Dermatol 62(6), 2010 ; The Low Prevalence of Allergic Contact Dermatitis Using a Petrolatum Ointment Containing Lanolin Alcohol (Draelos et al.; Beiersdorf grant), J Drugs Dermatol 18(10), 2019",
            "https://www.periodicos.capes.gov.br/index.php/acervo/buscador.html?id=W2106192211&task=detalhes",
        ),
        Source(
            "S58",
            "Smoking and wound healing (summary of Sørensen, Ann Surg 2012: cell function restored within 4 weeks of cessation), QuitNow (BC Lung Foundation), n.d. ; ACE Question (≥ 4 weeks of cessation improves wound healing), ASA Monitor, n.d.",
            "https://www.quitnow.ca/supporting-evidence/stop-smoking-before-surgery/smoking-and-wound-healing",
        ),
        Source(
            "S59",
            "Pre Treatment Protocol for CO2 Laser (stop waxing, threading and depilatory creams about 2 weeks before), Santi London (clinic), n.d.",
            "https://santilondon.com/pre-treatment-protocol-for-co2-laser/",
        ),
        Source(
            "S60",
            "Laser Facial Resurfacing (redness may persist up to six months), ISAPS, n.d.",
            "https://www.isaps.org/discover/patients-home/procedures/face-head-procedures/laser-facial-resurfacing/",
        ),
        Source(
            "S61",
            "Laser resurfacing: What you can expect (sedation for extensive resurfacing; raw, swollen, itchy skin afterwards), Mayo Clinic, n.d.",
            "http://www.mayoclinic.org/tests-procedures/laser-resurfacing/details/what-you-can-expect/rec-20323323",
        ),
        Source(
            "S62",
            "Laser hair-removal preparation pages (wait 7–10 days after microdermabrasion or peels; avoid peels, IPL and microdermabrasion for 2 weeks), Laser Affair ; ShapeMed, n.d.",
            "https://laseraffair.com/faqs/how-should-i-prepare-for-my-treatment/",
        ),
        Source(
            "S63",
            "Comparing Check-All and Forced-Choice Question Formats in Web Surveys (Smyth, Dillman, Christian, Stern), Public Opinion Quarterly 70(1):66-77, 2006",
            "https://digitalcommons.unl.edu/sociologyfacpub/674/",
        ),
        Source(
            "S64",
            "When online survey respondents only 'select some that apply', Pew Research Center, 2019",
            "https://www.pewresearch.org/?s=select+some+that+apply",
        ),
        Source(
            "S65",
            "Rate of body dysmorphic disorder in dermatology patients (Phillips et al.), J Am Acad Dermatol, 2000",
            "https://pubmed.ncbi.nlm.nih.gov/?term=Rate+of+body+dysmorphic+disorder+in+dermatology+patients",
        ),
        Source(
            "S66",
            "A screening questionnaire for body dysmorphic disorder in a cosmetic dermatologic surgery practice (Dufresne, Phillips, Vittorio, Wilkel), Dermatol Surg 27(5):457-462, 2001",
            "https://pubmed.ncbi.nlm.nih.gov/?term=screening+questionnaire+for+body+dysmorphic+disorder+cosmetic+dermatologic+surgery+practice",
        ),
        Source(
            "S67",
            "Nonpsychiatric medical treatment of body dysmorphic disorder (Crerand, Phillips, Menard, Fay), Psychosomatics 46:549-555, 2005",
            "https://pubmed.ncbi.nlm.nih.gov/?term=Nonpsychiatric+medical+treatment+of+body+dysmorphic+disorder",
        ),
        Source(
            "S68",
            "Multicentre BDDQ screening of 597 facial plastic and oculoplastic patients (9.7% positive), JAMA Facial Plast Surg, 2017",
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC5543317",
        ),
        Source(
            "S69",
            "Valacyclovir hydrochloride US prescribing information, Patients with Renal Impairment and warnings (acute renal failure, CNS effects); acyclovir and famciclovir labelling likewise",
            "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=valacyclovir",
        ),
        Source(
            "S70",
            "Association of the Köbner phenomenon with disease activity and therapeutic responsiveness in vitiligo vulgaris (Njoo, Das, Bos, Westerhof), Arch Dermatol 135(4):407-413, 1999",
            "https://pubmed.ncbi.nlm.nih.gov/?term=Koebner+phenomenon+disease+activity+therapeutic+responsiveness+vitiligo+vulgaris",
        ),
        Source(
            "S71",
            "Levulan Kerastick (aminolevulinic acid HCl) US prescribing information: avoid sunlight and bright indoor light on treated sites for at least 40 h",
            "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=levulan",
        ),
        Source(
            "S72",
            "Recurrent eczema herpeticum - a retrospective European multicenter study (Seegräber et al.), JEADV 34(5):1074-1079, 2020",
            "https://pubmed.ncbi.nlm.nih.gov/?term=Recurrent+eczema+herpeticum+retrospective+European+multicenter+study",
        ),
        Source(
            "S73",
            "Complications of carbon dioxide laser resurfacing. An evaluation of 500 patients (Nanni, Alster), Dermatol Surg 24(3):315-320, 1998",
            "https://pubmed.ncbi.nlm.nih.gov/9537005/",
        ),
        Source(
            "S74",
            "Side effects and complications of fractional laser photothermolysis: experience with 961 treatments (Graber, Tanzi, Alster), Dermatol Surg, 2008",
            "https://pubmed.ncbi.nlm.nih.gov/18190541/",
        ),
        Source(
            "S75",
            "Fractionated laser skin resurfacing treatment complications: a review (Metelitsa, Alster), Dermatol Surg, 2010",
            "https://pubmed.ncbi.nlm.nih.gov/?term=Fractionated+laser+skin+resurfacing+treatment+complications+a+review",
        ),
        Source(
            "S76",
            "Hypertrophic scarring of the neck following ablative fractional carbon dioxide laser resurfacing (Avram et al.), Lasers Surg Med, 2009",
            "https://pubmed.ncbi.nlm.nih.gov/?term=Hypertrophic+scarring+of+the+neck+following+ablative+fractional+carbon+dioxide+laser+resurfacing",
        ),
        Source(
            "S77",
            "Complications of fractional CO2 laser resurfacing: four cases (Fife, Fitzpatrick, Zachary), Lasers Surg Med, 2009",
            "https://pubmed.ncbi.nlm.nih.gov/?term=Complications+of+fractional+CO2+laser+resurfacing+four+cases",
        ),
        Source(
            "S78",
            "Adverse events of non-ablative fractional laser photothermolysis: a retrospective study of 856 treatments in 362 patients, J Dermatolog Treat (online 2013)",
            "https://pubmed.ncbi.nlm.nih.gov/?term=Adverse+events+of+non-ablative+fractional+laser+photothermolysis+856+treatments",
        ),
        Source(
            "S79",
            "Side effects, sequelae, and complications of carbon dioxide laser resurfacing, Aesthet Surg J 17(6):365-372, 1997",
            "https://pubmed.ncbi.nlm.nih.gov/?term=Side+effects+sequelae+and+complications+of+carbon+dioxide+laser+resurfacing",
        ),
        Source(
            "S80",
            "The Joint Commission, National Patient Safety Goal NPSG.03.06.01: Maintain and communicate accurate patient medication information",
            "https://www.jointcommission.org/standards/national-patient-safety-goals/",
        ),
        Source(
            "S81",
            "45 CFR 164.520(c)(2): notice of privacy practices, provision by direct treatment providers",
            "https://www.ecfr.gov/current/title-45/section-164.520",
        ),
    )
}


def sources_for(ids) -> list[Source]:
    """The sources of these ids, in order; an unknown id keeps its id as its title."""
    return [SOURCES.get(source_id, Source(source_id, source_id, "")) for source_id in ids]
