"""Swedish-looking names and real-looking codes for the synthetic benchmark corpus.

Nothing here is real configuration: names are combined from word lists, codes follow the
shape of the real systems (Snomed CT identifiers with a Verhoeff check digit and the Swedish
namespace, KVÅ, LOINC with its mod-10 check digit, ICD-10-SE, ATC).
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections.abc import Callable

# -- names ------------------------------------------------------------------------------------

KEYWORD_STEMS = (
    "Smärt",
    "Sömn",
    "Nutritions",
    "Andnings",
    "Cirkulations",
    "Hud",
    "Sår",
    "Eliminations",
    "Aktivitets",
    "Kommunikations",
    "Kognitions",
    "Suicidrisk",
    "Våldsrisk",
    "Fallrisk",
    "Trycksårs",
    "Läkemedels",
    "Alkohol",
    "Drog",
    "Tobaks",
    "Spel",
    "Ångest",
    "Depressions",
    "Psykos",
    "Mani",
    "Ätstörnings",
    "Funktions",
    "Arbets",
    "Boende",
    "Familje",
    "Nätverks",
    "Behandlings",
    "Vård",
    "Utskrivnings",
    "Inskrivnings",
    "Remiss",
    "Provtagnings",
    "Vikt",
    "Puls",
    "Blodtrycks",
    "Temperatur",
    "Syremättnads",
    "Vätske",
    "Urin",
    "Tarm",
    "Munhälso",
    "Syn",
    "Hörsel",
    "Rörelse",
    "Balans",
    "Minnes",
    "Orienterings",
    "Språk",
    "Tolk",
    "Samtyckes",
    "Anhörig",
    "Barn",
    "Hot",
    "Tvångs",
    "Permissions",
    "Abstinens",
    "Impulsivitets",
    "Självskade",
    "Stress",
    "Trauma",
    "Koncentrations",
    "Aptit",
    "Sexualitets",
    "Ekonomi",
)
KEYWORD_HEADS = (
    "bedömning",
    "anamnes",
    "status",
    "skattning",
    "planering",
    "uppföljning",
    "mål",
    "åtgärd",
    "ordination",
    "kontroll",
    "observation",
    "behandling",
    "information",
    "problem",
    "historik",
    "påverkan",
    "förmåga",
    "besvär",
    "risk",
    "orsak",
    "beskrivning",
    "resultat",
    "plan",
    "kommentar",
    "överenskommelse",
    "insats",
    "intervention",
    "screening",
    "utredning",
    "dokumentation",
    "mätning",
    "frekvens",
    "grad",
    "typ",
    "nivå",
)
KEYWORD_QUALIFIERS = (
    "",
    " vid inskrivning",
    " vid utskrivning",
    " vid ankomst",
    " under vårdtiden",
    " inför permission",
    " efter permission",
    ", höger",
    ", vänster",
    ", patientens egen",
    ", anhörigs",
    " enligt patienten",
    " enligt anhörig",
    " – natt",
    " – dag",
    " dag 1",
    " dag 3",
    " vecka 1",
    " efter 3 månader",
    " efter 6 månader",
    " efter 12 månader",
    " hos barn",
    " hos vuxen",
    ", fritext",
    ", strukturerad",
    ", sammanfattning",
    ", övrigt",
    ", tidigare",
    ", aktuell",
    " (sjuksköterska)",
    " (läkare)",
    " (psykolog)",
    " (kurator)",
    " (arbetsterapeut)",
    " (fysioterapeut)",
    ", akut",
    ", planerad",
    " & åtgärd",
    ", <18 år",
    ", >65 år",
)

TEMPLATE_KINDS = {
    "psychiatry": (
        "Inskrivningsanteckning",
        "Utskrivningsanteckning",
        "Psykiatrisk bedömning",
        "Nybesök",
        "Återbesök",
        "Telefonkontakt",
        "Behandlingsplan",
        "Vårdplan",
        "Riskbedömning",
        "Teambedömning",
        "Krisplan",
        "Samordnad individuell plan",
        "Skattning",
        "Journalanteckning",
    ),
    "drugs": (
        "Läkemedelsgenomgång",
        "Fördjupad läkemedelsgenomgång",
        "Läkemedelsberättelse",
        "Ordinationsunderlag",
        "Läkemedelsuppföljning",
        "Behandlingsstart",
        "Utsättning",
        "Biverkningsrapport",
        "Dosjustering",
        "Läkemedelsavstämning",
    ),
    "referrals": (
        "Remiss",
        "Konsultationsremiss",
        "Remissvar",
        "Remissbedömning",
        "Vidareremiss",
        "Återremiss",
        "Remiss SVF",
        "Begäran om undersökning",
    ),
}
TEMPLATE_AREAS = {
    "psychiatry": (
        "psykiatri",
        "barn- och ungdomspsykiatri",
        "beroendevård",
        "ätstörningsvård",
        "rättspsykiatri",
        "affektiva sjukdomar",
        "psykos",
        "ångestsyndrom",
        "neuropsykiatri",
        "ADHD",
        "autism",
        "ECT",
        "suicidprevention",
        "äldrepsykiatri",
        "peripartum",
        "traumabehandling",
        "KBT",
        "psykologisk behandling",
        "mobil psykiatri",
        "heldygnsvård",
        "personlighetssyndrom",
        "tvångssyndrom",
        "bipolär sjukdom",
        "första episod psykos",
    ),
    "drugs": (
        "antikoagulantia",
        "antibiotika",
        "opioider",
        "insulin",
        "cytostatika",
        "antipsykotika",
        "antidepressiva",
        "smärtbehandling",
        "vätskebehandling",
        "parenteral nutrition",
        "vaccination",
        "biologiska läkemedel",
        "dosdispensering",
        "narkotiska preparat",
        "litium",
        "klozapin",
        "depåinjektion",
        "läkemedelsassisterad behandling",
        "ADHD-läkemedel",
        "hjärtsvikt",
        "diabetes",
        "epilepsi",
        "demens",
        "palliativ vård",
    ),
    "referrals": (
        "bröstcancer",
        "strokerehabilitering",
        "ortopedi",
        "kardiologi",
        "neurologi",
        "gastroenterologi",
        "röntgen",
        "klinisk kemi",
        "fysioterapi",
        "logopedi",
        "hörselvård",
        "ögonsjukvård",
        "hudsjukvård",
        "urologi",
        "gynekologi",
        "BUP",
        "vuxenpsykiatri",
        "beroendecentrum",
        "geriatrik",
        "palliativ vård",
        "smärtmottagning",
        "lungmedicin",
        "endokrinologi",
        "reumatologi",
    ),
}
TEMPLATE_ROLES = (
    "",
    " – sjuksköterska",
    " – läkare",
    " – psykolog",
    " – kurator",
    " – arbetsterapeut",
    " – fysioterapeut",
    " – skötare",
    " – dietist",
)
TEMPLATE_SETTINGS = (
    "",
    ", öppenvård",
    ", slutenvård",
    ", akut",
    ", mobilt team",
    ", hemsjukvård",
    ", mottagning",
    ", dagvård",
)

VALUE_LIST_TOPICS = (
    "Smärta",
    "Sömn",
    "Aptit",
    "Nedstämdhet",
    "Ångest",
    "Oro",
    "Irritabilitet",
    "Koncentration",
    "Minne",
    "Hallucinationer",
    "Vanföreställningar",
    "Tvångstankar",
    "Alkohol",
    "Cannabis",
    "Opioider",
    "Tobak",
    "Spel om pengar",
    "Självskada",
    "Suicidtankar",
    "Våld",
    "Hot",
    "Boende",
    "Sysselsättning",
    "Ekonomi",
    "Socialt nätverk",
    "Körkort",
    "Vapeninnehav",
    "Illamående",
    "Yrsel",
    "Blödning",
    "Infektion",
    "Allergi",
    "Andning",
    "Hosta",
    "Feber",
    "Urinering",
    "Avföring",
    "Nutrition",
    "Vikt",
    "Mobilitet",
    "Balans",
    "Hörsel",
    "Syn",
    "Tal",
    "Sväljning",
    "Hud",
    "Trycksår",
    "Ödem",
    "Medvetande",
    "Orientering",
    "Administreringsväg",
    "Läkemedelsform",
    "Doseringsintervall",
    "Indikation",
    "Kontaktorsak",
    "Vårdform",
    "Prioritet",
    "Remisstyp",
    "Undersökningstyp",
    "Provtyp",
    "Svarsform",
    "Tolkbehov",
)
VALUE_LIST_KINDS = (
    ("grad", "grad"),
    ("frekvens", "frequency"),
    ("förekomst", "answer"),
    ("skattning", "scale"),
    ("lokalisation", "side"),
    ("typ", "generic"),
    ("orsak", "generic"),
    ("åtgärd", "generic"),
    ("bedömning", "grade"),
    ("status", "generic"),
    ("läkemedel", "drug"),
    ("diagnos", "diagnosis"),
    ("fynd", "finding"),
    ("brådskandegrad", "urgency"),
)
VALUE_LIST_QUALIFIERS = (
    "",
    " (barn)",
    " (vuxen)",
    ", förenklad",
    ", utökad",
    " enligt MADRS",
    " enligt AUDIT",
    " enligt DUDIT",
    " enligt NEWS2",
    " enligt RAPS",
    " enligt PHQ-9",
    " enligt GAD-7",
    " enligt EPDS",
    " enligt CIWA-Ar",
    " enligt COWS",
    " enligt BPRS",
    " enligt CGI",
    " enligt NRS",
    " enligt VAS",
    ", version 2",
    ", slutenvård",
    ", öppenvård",
)

GRADES = ("Ingen", "Lätt", "Måttlig", "Svår", "Mycket svår")
FREQUENCIES = (
    "Aldrig",
    "Sällan",
    "Någon gång per månad",
    "Någon gång per vecka",
    "Flera gånger per vecka",
    "Dagligen",
    "Flera gånger dagligen",
)
ANSWERS = (
    ("J", "Ja"),
    ("N", "Nej"),
    ("V", "Vet ej"),
    ("EA", "Ej aktuellt"),
    ("EB", "Ej bedömt"),
    ("AVB", "Patienten avböjer"),
)
URGENCY = (
    ("OMED", "Omedelbart"),
    ("2H", "Inom 2 timmar"),
    ("24H", "Inom 24 timmar"),
    ("1V", "Inom 1 vecka"),
    ("2V", "Inom 2 veckor"),
    ("4V", "Inom 4 veckor"),
    ("8V", "Inom 8 veckor"),
    ("SVF", "Enligt SVF"),
)
SIDES = (
    ("H", "Höger", "ZXA00"),
    ("V", "Vänster", "ZXA05"),
    ("B", "Bilateralt", "ZXA10"),
    ("M", "Mittlinjen", None),
    ("O", "Ospecificerad sida", None),
)
GENERIC_OPTIONS = (
    "Egen begäran",
    "Remiss från primärvården",
    "Anhörigs begäran",
    "Polisbegäran",
    "Akut försämring",
    "Planerad uppföljning",
    "Ny bedömning",
    "Läkemedelsbiverkan",
    "Otillräcklig effekt",
    "Följsamhetsproblem",
    "Somatisk komorbiditet",
    "Social situation",
    "Boendeproblem",
    "Arbetslöshet",
    "Sjukskrivning",
    "Ekonomiska problem",
    "Relationsproblem",
    "Våld i nära relation",
    "Missbruk i familjen",
    "Sorg",
    "Trauma",
    "Ensamhet",
    "Samtalsbehandling",
    "Läkemedelsbehandling",
    "Stödsamtal",
    "Psykopedagogik",
    "Anhörigstöd",
    "Kontakt med socialtjänst",
    "Kontakt med skola",
    "Kontakt med arbetsgivare",
    "Hembesök",
    "Videobesök",
    "Telefonkontakt",
    "Gruppbehandling",
    "Inläggning",
    "Överflyttning",
    "Avslut",
    "Ingen åtgärd",
    "Fortsatt observation",
    "Provtagning",
    "Röntgenundersökning",
    "EKG",
    "Blodtryckskontroll",
    "Viktkontroll",
    "Nutritionsstöd",
    "Fysisk aktivitet på recept",
    "Sömnskola",
    "Rökavvänjning",
    "Alkoholrådgivning",
    "Körkortsanmälan",
    "Vapenanmälan",
    "Orosanmälan",
    "Tolk bokad",
    "Ledsagare",
    "Sjukresa",
    "Hjälpmedel",
    "Arbetsterapeutisk bedömning",
    "Fysioterapeutisk bedömning",
    "Dietistkontakt",
    "Logopedkontakt",
    "Kuratorskontakt",
    "Psykologutredning",
    "Neuropsykiatrisk utredning",
    "Somatisk utredning",
    "Second opinion",
    "Vårdplanering",
    "SIP upprättad",
    "Krisplan upprättad",
    "Egenvårdsplan",
    "Återbesök bokat",
    "Väntelista",
    "Ej indicerat",
    "Uppgift saknas",
    "Annat",
)
FINDINGS = (
    "Normalfynd",
    "Lätt avvikande",
    "Tydligt avvikande",
    "Kraftigt avvikande",
    "Ej bedömbart",
    "Rodnad",
    "Svullnad",
    "Ömhet",
    "Sårbildning",
    "Klåda",
    "Utslag",
    "Blekhet",
    "Cyanos",
    "Ikterus",
    "Dehydrering",
    "Ödem",
    "Takykardi",
    "Bradykardi",
    "Arytmi",
    "Hypertoni",
    "Hypotoni",
    "Feber",
    "Hypotermi",
    "Dyspné",
    "Hosta",
    "Pip i bröstet",
    "Illamående",
    "Kräkning",
    "Diarré",
    "Förstoppning",
    "Urinretention",
    "Inkontinens",
    "Yrsel",
    "Huvudvärk",
    "Tremor",
    "Ataxi",
    "Förvirring",
    "Somnolens",
    "Agitation",
    "Nedstämdhet",
    "Ångest",
    "Hallucinationer",
    "Vanföreställningar",
    "Tankestörning",
    "Suicidtankar",
    "Självskada",
    "Aggressivitet",
    "Sömnstörning",
    "Aptitlöshet",
    "Viktnedgång",
)
DESCRIPTION_PHRASES = (
    "dokumenteras vid varje besök",
    "enligt regional rutin",
    "anges i fritext",
    "visas i Nationell patientöversikt",
    "fylls i av ansvarig läkare",
    "fylls i av ansvarig sjuksköterska",
    "registreras till kvalitetsregistret",
    "används vid vårdplanering",
    "ska vara ifyllt före utskrivning",
    "uppdateras vid förändring",
    "används för uppföljning i Stratus",
    "ingår i eSPiR-beslutsstödet",
)
UNITS = (
    "mm[Hg]",
    "kg",
    "cm",
    "g",
    "mmol/L",
    "umol/L",
    "mg/L",
    "/min",
    "%",
    "Cel",
    "{poäng}",
    "{standardglas}/wk",
    "h",
    "d",
    "mL",
    "L/min",
    "kg/m2",
    "U/L",
    "nmol/L",
    "mg",
    "mL/h",
    "{tabletter}/d",
)
UNIT_ALTERNATIVES = {
    "mm[Hg]": "mmHg",
    "kg": "g",
    "cm": "m",
    "mmol/L": "mmol/l",
    "umol/L": "µmol/L",
    "mg/L": "mg/l",
    "/min": "slag/min",
    "%": "procent",
    "Cel": "°C",
    "{poäng}": "poäng",
    "h": "tim",
    "d": "dygn",
    "mL": "ml",
    "L/min": "l/min",
    "kg/m2": "kg/m²",
    "U/L": "E/L",
    "nmol/L": "nmol/l",
    "mg": "mg/d",
    "mL/h": "ml/h",
    "{tabletter}/d": "st/dygn",
    "g": "kg",
    "{standardglas}/wk": "{standardglas}/d",
}
ABBREVIATIONS = (
    ("bedömning", "bed."),
    ("anamnes", "anamn."),
    ("uppföljning", "uppf."),
    ("planering", "plan."),
    ("behandling", "beh."),
    ("information", "info"),
    ("observation", "obs."),
    ("kontroll", "ktrl"),
    ("skattning", "skattn."),
    ("dokumentation", "dok."),
    ("beskrivning", "beskr."),
    ("utredning", "utr."),
    (" vid ", " v. "),
    (" efter ", " e. "),
    ("månader", "mån"),
    ("vecka", "v."),
    ("sjuksköterska", "ssk"),
    ("läkare", "läk."),
    ("psykiatri", "psyk."),
    ("remiss", "rem."),
    ("Läkemedels", "Lm-"),
    ("läkemedel", "lm"),
)

#: (ATC code, substance) – real codes, used as value bindings of drug lists.
SUBSTANCES = (
    ("N05AN01", "Litium"),
    ("N06AB06", "Sertralin"),
    ("N06AB10", "Escitalopram"),
    ("N06AB04", "Citalopram"),
    ("N06AB03", "Fluoxetin"),
    ("N06AX11", "Mirtazapin"),
    ("N06AX16", "Venlafaxin"),
    ("N06AX21", "Duloxetin"),
    ("N06AX12", "Bupropion"),
    ("N06AA09", "Amitriptylin"),
    ("N06AA04", "Klomipramin"),
    ("N05AH03", "Olanzapin"),
    ("N05AH04", "Kvetiapin"),
    ("N05AH02", "Klozapin"),
    ("N05AX08", "Risperidon"),
    ("N05AX12", "Aripiprazol"),
    ("N05AX13", "Paliperidon"),
    ("N05AD01", "Haloperidol"),
    ("N05AF05", "Zuklopentixol"),
    ("N05AB03", "Perfenazin"),
    ("N03AX09", "Lamotrigin"),
    ("N03AG01", "Valproinsyra"),
    ("N03AF01", "Karbamazepin"),
    ("N03AX12", "Gabapentin"),
    ("N03AX16", "Pregabalin"),
    ("N05BA01", "Diazepam"),
    ("N05BA04", "Oxazepam"),
    ("N05BA12", "Alprazolam"),
    ("N05BB01", "Hydroxizin"),
    ("N05CF01", "Zopiklon"),
    ("N05CF02", "Zolpidem"),
    ("N05CH01", "Melatonin"),
    ("N05CM02", "Klometiazol"),
    ("N06BA04", "Metylfenidat"),
    ("N06BA09", "Atomoxetin"),
    ("N06BA12", "Lisdexamfetamin"),
    ("C02AC02", "Guanfacin"),
    ("N07BB01", "Disulfiram"),
    ("N07BB03", "Akamprosat"),
    ("N07BB04", "Naltrexon"),
    ("N07BC02", "Metadon"),
    ("N07BC01", "Buprenorfin"),
    ("N02BE01", "Paracetamol"),
    ("N02AA01", "Morfin"),
    ("N02AA05", "Oxikodon"),
    ("N02AX02", "Tramadol"),
    ("M01AE01", "Ibuprofen"),
    ("M01AE02", "Naproxen"),
    ("B01AA03", "Warfarin"),
    ("B01AE07", "Dabigatranetexilat"),
    ("B01AF01", "Rivaroxaban"),
    ("B01AF02", "Apixaban"),
    ("B01AF03", "Edoxaban"),
    ("B01AC06", "Acetylsalicylsyra"),
    ("B01AC04", "Klopidogrel"),
    ("B01AC24", "Tikagrelor"),
    ("B01AB05", "Enoxaparin"),
    ("B01AB04", "Dalteparin"),
    ("C07AB02", "Metoprolol"),
    ("C07AB07", "Bisoprolol"),
    ("C09AA05", "Ramipril"),
    ("C09AA02", "Enalapril"),
    ("C09CA01", "Losartan"),
    ("C09CA06", "Kandesartan"),
    ("C08CA01", "Amlodipin"),
    ("C03CA01", "Furosemid"),
    ("C03DA01", "Spironolakton"),
    ("C10AA01", "Simvastatin"),
    ("C10AA05", "Atorvastatin"),
    ("C10AA07", "Rosuvastatin"),
    ("A10BA02", "Metformin"),
    ("A10AE04", "Insulin glargin"),
    ("A10AB05", "Insulin aspart"),
    ("A10BK01", "Dapagliflozin"),
    ("A10BJ02", "Liraglutid"),
    ("A02BC01", "Omeprazol"),
    ("A02BC05", "Esomeprazol"),
    ("A06AD11", "Laktulos"),
    ("H03AA01", "Levotyroxin"),
    ("H02AB06", "Prednisolon"),
    ("H02AB02", "Dexametason"),
    ("J01CE02", "Fenoximetylpenicillin"),
    ("J01CA04", "Amoxicillin"),
    ("J01DB01", "Cefalexin"),
    ("J01FA09", "Klaritromycin"),
    ("J01MA02", "Ciprofloxacin"),
    ("J01XE01", "Nitrofurantoin"),
    ("J01EA01", "Trimetoprim"),
    ("J01AA02", "Doxycyklin"),
    ("J01FF01", "Klindamycin"),
    ("R03AC02", "Salbutamol"),
    ("R03BA02", "Budesonid"),
    ("R06AE07", "Cetirizin"),
    ("L01BA01", "Metotrexat"),
    ("L04AB02", "Infliximab"),
    ("L04AB04", "Adalimumab"),
    ("M04AA01", "Allopurinol"),
    ("G04CA02", "Tamsulosin"),
    ("N06DA02", "Donepezil"),
    ("N06DX01", "Memantin"),
    ("V03AB15", "Naloxon"),
    ("V03AB25", "Flumazenil"),
    ("A11DA01", "Tiamin"),
    ("B03BB01", "Folsyra"),
    ("A12BA01", "Kaliumklorid"),
)
#: (ICD-10-SE code, display) – value bindings of diagnosis lists.
DIAGNOSES = (
    ("F10.2", "Alkoholberoende"),
    ("F11.2", "Opioidberoende"),
    ("F12.2", "Cannabisberoende"),
    ("F20.0", "Paranoid schizofreni"),
    ("F20.9", "Schizofreni, ospecificerad"),
    ("F22.0", "Vanföreställningssyndrom"),
    ("F25.9", "Schizoaffektivt syndrom, ospecificerat"),
    ("F31.3", "Bipolär sjukdom, lindrig eller medelsvår depressiv episod"),
    ("F31.9", "Bipolär sjukdom, ospecificerad"),
    ("F32.0", "Lindrig depressiv episod"),
    ("F32.1", "Medelsvår depressiv episod"),
    ("F32.2", "Svår depressiv episod utan psykotiska symtom"),
    ("F33.1", "Recidiverande depression, medelsvår episod"),
    ("F40.1", "Social fobi"),
    ("F41.0", "Paniksyndrom"),
    ("F41.1", "Generaliserat ångestsyndrom"),
    ("F42.2", "Tvångssyndrom, blandade tvångstankar och tvångshandlingar"),
    ("F43.1", "Posttraumatiskt stressyndrom"),
    ("F43.2", "Anpassningsstörning"),
    ("F50.0", "Anorexia nervosa"),
    ("F50.2", "Bulimia nervosa"),
    ("F60.3", "Emotionellt instabil personlighetsstörning"),
    ("F84.0", "Autism i barndomen"),
    ("F90.0", "Aktivitets- och uppmärksamhetsstörning"),
    ("G30.9", "Alzheimers sjukdom, ospecificerad"),
    ("G40.9", "Epilepsi, ospecificerad"),
    ("G45.9", "Transitorisk cerebral ischemisk attack"),
    ("I10", "Essentiell hypertoni"),
    ("I21.9", "Akut hjärtinfarkt, ospecificerad"),
    ("I48.9", "Förmaksflimmer och förmaksfladder, ospecificerat"),
    ("I50.9", "Hjärtsvikt, ospecificerad"),
    ("I61.9", "Intracerebral blödning, ospecificerad"),
    ("I63.9", "Cerebral infarkt, ospecificerad"),
    ("E10.9", "Diabetes mellitus typ 1 utan komplikationer"),
    ("E11.9", "Diabetes mellitus typ 2 utan komplikationer"),
    ("E66.9", "Fetma, ospecificerad"),
    ("J44.9", "Kroniskt obstruktiv lungsjukdom, ospecificerad"),
    ("J45.9", "Astma, ospecificerad"),
    ("C50.9", "Malign tumör i bröstkörtel, ospecificerad"),
    ("D05.1", "Cancer in situ i mjölkgång"),
    ("C61", "Malign tumör i prostata"),
    ("C18.9", "Malign tumör i tjocktarmen, ospecificerad"),
    ("M05.9", "Seropositiv reumatoid artrit, ospecificerad"),
    ("M16.9", "Koxartros, ospecificerad"),
    ("M17.9", "Gonartros, ospecificerad"),
    ("N18.9", "Kronisk njursjukdom, ospecificerad"),
    ("K21.9", "Gastroesofageal refluxsjukdom utan esofagit"),
    ("K50.9", "Crohns sjukdom, ospecificerad"),
    ("L40.0", "Psoriasis vulgaris"),
    ("R51.9", "Huvudvärk"),
    ("R55.9", "Svimning och kollaps"),
    ("Z91.5", "Självskada i den egna sjukhistorien"),
    ("X60", "Avsiktlig självförgiftning med analgetika"),
)
KVA_CHAPTERS = ("AU", "AV", "AA", "AB", "DA", "DT", "GB", "QX", "UX", "XV", "ZV", "DV", "AF")
CASE_NOTE_TYPES = {
    "psychiatry": ("utr", "ins", "bes", "sam", "slu"),
    "drugs": ("atb", "bes", "sam", "sao"),
    "referrals": ("auf", "sva", "bes", "utr"),
}

# -- codes ------------------------------------------------------------------------------------

_VD = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VP = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_VINV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)


def verhoeff(digits: str) -> str:
    """Return the Verhoeff check digit of a string of digits (as Snomed CT uses)."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _VD[c][_VP[(i + 1) % 8][int(ch)]]
    return str(_VINV[c])


def snomed_code(item: int, swedish: bool) -> str:
    """Return a Snomed CT concept id: item, namespace 1000052 (Sweden) or none, partition."""
    body = f"{item}100005210" if swedish else f"{item}00"
    return body + verhoeff(body)


def loinc_code(item: int) -> str:
    """Return a LOINC code ``nnnnn-c`` with its mod-10 check digit."""
    digits = str(item)
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return f"{digits}-{(10 - total % 10) % 10}"


def kva_code(rng: random.Random) -> str:
    """Return a KVÅ-like code: two letters and three digits (AU118) or three and two (AAL15)."""
    if rng.random() < 0.8:
        return f"{rng.choice(KVA_CHAPTERS)}{rng.randrange(1000):03d}"
    letters = "".join(rng.choice("ABDFGHJKLMNPQTUX") for _ in range(3))
    return f"{letters}{rng.randrange(100):02d}"


# -- names ------------------------------------------------------------------------------------


def name_key(text: str) -> str:
    """Return the key cosmicdiff matches names on: NFC, collapsed white space, case-folded."""
    return unicodedata.normalize(
        "NFC", " ".join(unicodedata.normalize("NFC", text).split()).casefold()
    )


class Namer:
    """Hand out names that are unique (by matching key) within one kind of item."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def claim(self, name: str) -> bool:
        """Reserve ``name``; return False if its key is taken."""
        key = name_key(name)
        if key in self.used:
            return False
        self.used.add(key)
        return True

    def unique(self, make: Callable[[], str]) -> str:
        """Return a new name from ``make``; numbered (``… 2``) once the word lists run out."""
        for attempt in itertools.count():
            name = make()
            if attempt >= 100:
                name = f"{name} {self.rng.randrange(2, 10 ** (2 + attempt // 100))}"
            if self.claim(name):
                return name
        raise AssertionError("unreachable")

    def keyword(self) -> str:
        """Return a new keyword name such as ``Smärtbedömning vid inskrivning``."""
        r = self.rng
        return self.unique(
            lambda: r.choice(KEYWORD_STEMS) + r.choice(KEYWORD_HEADS) + r.choice(KEYWORD_QUALIFIERS)
        )

    def template(self, case: str) -> str:
        """Return a new template name such as ``Inskrivningsanteckning psykiatri – läkare``."""
        r = self.rng
        return self.unique(
            lambda: (
                f"{r.choice(TEMPLATE_KINDS[case])} "
                f"{r.choice(TEMPLATE_AREAS[case])}"
                f"{r.choice(TEMPLATE_ROLES)}{r.choice(TEMPLATE_SETTINGS)}"
            )
        )

    def value_list(self) -> tuple[str, str]:
        """Return a new value-list name and the kind of values it holds."""
        r = self.rng
        kind = [""]

        def make() -> str:
            label, kind[0] = r.choice(VALUE_LIST_KINDS)
            return f"{r.choice(VALUE_LIST_TOPICS)}, {label}{r.choice(VALUE_LIST_QUALIFIERS)}"

        return self.unique(make), kind[0]

    def variant(self, name: str, allow_case_only: bool = True) -> str:
        """Return a realistic rename of ``name`` (abbreviation, typo, reworded) not yet used."""
        for _ in range(50):
            cand = _vary(name, self.rng, allow_case_only)
            if cand == name:
                continue
            same_key = name_key(cand) == name_key(name)
            if same_key and allow_case_only:
                return cand  # a case-only rename keeps the key on purpose
            if not same_key and self.claim(cand):
                return cand
        while True:  # extremely unlikely: fall back to a numbered variant
            cand = f"{name} ({self.rng.randrange(2, 99)})"
            if self.claim(cand):
                return cand


def _vary(name: str, rng: random.Random, allow_case_only: bool) -> str:
    roll = rng.random()
    if allow_case_only and roll < 0.15:
        return name.upper() if rng.random() < 0.5 else name[:1].lower() + name[1:]
    if roll < 0.5:
        options = [(a, b) for a, b in ABBREVIATIONS if a in name]
        if options:
            a, b = rng.choice(options)
            return name.replace(a, b, 1)
    if roll < 0.65 and len(name) > 6:
        i = rng.randrange(1, len(name) - 2)
        if name[i].isalpha() and name[i + 1].isalpha() and name[i] != name[i + 1]:
            return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if roll < 0.8 and ", " in name:
        return name.rsplit(", ", 1)[0]
    suffix = rng.choice(
        (" (regional)", ", lokal variant", " – ny", " enligt lokal rutin", ", reviderad", " 2.0")
    )
    return name + suffix
