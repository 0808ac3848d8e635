"""The terminal interface's own strings, in Dutch and English."""

from __future__ import annotations

LANGUAGES = ("nl", "en")

STRINGS: dict[str, dict[str, str]] = {
    "nl": {
        # Keys in the footer
        "key.help": "Hulp",
        "key.back": "Terug",
        "key.language": "English",
        "key.quit": "Stop",
        "tip.help": "Waar vindt u dit gegeven?",
        "tip.back": "Naar de vorige vraag, om het antwoord te wijzigen",
        "tip.language": "Switch the interview to English",
        "tip.quit": "Stoppen; alle antwoorden zijn al bewaard",
        "ctrl_c": "Stoppen doet u met ctrl+q. Uw antwoorden zijn al bewaard.",
        # Start and resume
        "title": "Massabalans",
        "welcome": (
            "Welkom. Ik stel u stap voor stap vragen over wat er uw bedrijf in "
            "gaat en wat eruit komt. Elk antwoord wordt meteen bewaard: u kunt "
            "altijd stoppen (ctrl+q) en later verder gaan. F1 laat zien waar u een "
            "gegeven vindt; klik op een antwoord om het te wijzigen; ctrl+p toont "
            "alle opdrachten."
        ),
        "welcome_back": "Welkom terug. Dit waren uw antwoorden tot nu toe.",
        "resume_unconverted": (
            "Nog niet om te rekenen naar kg, en dus nog niet in de balans: {flows}. "
            "Kies hierboven het antwoord met die regel en vul de dichtheid of het "
            "stukgewicht aan."
        ),
        "resume_offer": (
            "Er is een interview dat nog niet af is:\n"
            "  bedrijf: {company}\n  periode: {period}\n"
            "  laatst gewijzigd: {updated}\n"
            "  beantwoord: {answered} vragen\n"
            "Wilt u daarmee verder gaan?"
        ),
        "resume_continue": "Verder met dit interview",
        "resume_new": "Een nieuw interview beginnen",
        "other_questionnaire": (
            "Let op: dit interview is begonnen met vragenlijst {label}; nu wordt "
            "{current} gebruikt."
        ),
        "unnamed": "(nog geen naam)",
        "no_period": "(nog niet opgegeven)",
        # The header
        "progress": "stap {n}/{m} · {answered}/{visible} beantwoord",
        "progress_done": "klaar · {answered}/{visible} beantwoord",
        "balance": "In {inputs} · Uit {outputs} · Verschil {gap}",
        "balance_unconverted": "{n} niet in kg",
        "balance_unknown": "{n} onbekend",
        # Answering
        "dont_know": "Weet ik niet",
        "skipped": "(overgeslagen)",
        "none": "Geen",
        "hint.text": "Enter = verder · ? = weet ik niet · F1 = hulp",
        "hint.text_optional": "Enter = verder (leeg mag) · ? = weet ik niet",
        "hint.number": "Een getal, bv. 1250 of 12,5 · ? = weet ik niet · F1 = hulp",
        "hint.quantity": "Bv. 850 m3 of 1,5 t{default} · ? = weet ik niet",
        "hint.default_unit": " · alleen een getal = {unit}",
        "hint.choice": "Pijltjes of een letter, dan Enter, of klik · F1 = hulp",
        "hint.multi": "Spatie = aan/uit · Enter = klaar · F1 = hulp",
        "hint.list": "Typ bv. '{example}' + Enter · lege regel + Enter = klaar",
        "hint.table": "tabel: Enter = wijzig · Del = weg",
        "hint.stock": "Naam, begin, eind, eenheid + Enter · leeg + Enter = klaar",
        "placeholder.stock_name": "bv. eikenhout",
        "placeholder.stock_opening": "bv. 2,5",
        "placeholder.stock_closing": "bv. 4",
        "placeholder.stock_unit": "bv. t",
        "missing.density": "geen kg: de dichtheid ontbreekt",
        "missing.mass_per_piece": "geen kg: het gewicht per stuk ontbreekt",
        "placeholder.text": "Uw antwoord",
        "placeholder.number": "bv. 1250",
        "placeholder.quantity": "bv. 850 {unit}",
        "placeholder.item": "bv. {example}",
        "item_line": "Nieuw item: hoeveelheid, eenheid, naam",
        "item_edit": "Item wijzigen (Enter = bewaren)",
        "button.dont_know": "Weet ik niet",
        "button.add": "Toevoegen",
        "button.delete": "Verwijderen",
        "button.done": "Klaar",
        "button.retype": "Opnieuw",
        "empty_answer": "Het antwoord is leeg; typ iets, of '?' voor weet ik niet.",
        "unknown_not_allowed": "Hier is 'weet ik niet' geen antwoord; vul iets in.",
        "shares_sum": (
            "De aandelen tellen op tot {total} %, niet tot 100 %; verbeter de "
            "samenstelling."
        ),
        "col.name": "Naam",
        "col.amount": "Hoeveelheid",
        "col.kg": "kg",
        "col.kind": "Soort",
        "col.opening": "Begin",
        "col.closing": "Eind",
        "col.unit": "Eenheid",
        "stock.name": "Naam",
        "stock.opening": "Begin",
        "stock.closing": "Eind",
        "stock.unit": "Eenheid",
        "ambiguous": "'{typed}' kan twee dingen betekenen. Welke bedoelt u?",
        "retype": "Opnieuw typen",
        "ton_question": (
            "Een 'ton' kan een metrische ton (1 000 kg) of een Amerikaanse short "
            "ton (907,18 kg) zijn. Welke bedoelt u in dit interview?"
        ),
        "ton_metric": "Metrische ton: 1 000 kg",
        "ton_short": "Short ton: 907,18 kg",
        "ask.density": (
            "'{name}' staat in {unit}, een volume. Wat is de dichtheid? "
            "Bv. {example} · ? = weet ik niet"
        ),
        "ask.mass_per_piece": (
            "'{name}' staat in {unit}. Hoeveel weegt één {one}? Bv. {example} · "
            "? = weet ik niet"
        ),
        "not_converted": "niet om te rekenen naar kg",
        "default_density": "uitgaande van 1 kg/l",
        "from_table": "uit de tabel",
        "problems": "Dat klopt nog niet:",
        "internal_error": (
            "Dit antwoord kon niet worden verwerkt ({detail}). Probeer iets anders "
            "of kies 'weet ik niet'; de fout staat in het logboek."
        ),
        # Parsing
        "not_a_number": "Dat getal kan ik niet lezen. {detail}",
        "bad_unit": "Die eenheid ken ik niet. {detail}",
        "unit_slip": (
            "'{word}' na het getal lijkt een eenheid. {detail} Verbeter de eenheid, "
            "of zet de naam vooraan als '{word}' bij de naam hoort "
            "('{word} {name} {number} {unit}')."
        ),
        "amount_needed": "Begin met een getal, bijvoorbeeld 850 m3 of 1,5 t.",
        "unit_needed": "Geef ook een eenheid, bijvoorbeeld kg, t, l, m3 of stuks.",
        "item_empty": "Typ eerst een item, bijvoorbeeld 12,5 t eikenhout.",
        "item_semicolon": (
            "Schrijf het als 'naam; hoeveelheid eenheid', bijvoorbeeld "
            "'PE 100 buis; 5 t'."
        ),
        "item_no_amount": (
            "Geef bij '{name}' ook de hoeveelheid, bijvoorbeeld '12,5 t {name}', of "
            "'? {name}' als u die niet weet."
        ),
        "item_no_name": "Geef ook een naam, bijvoorbeeld '12,5 t eikenhout'.",
        "share_bad": (
            "'{part}' lees ik niet als aandeel; schrijf materiaal en percentage, "
            "bijvoorbeeld 'glasvezel 33,33; hars 66,67'."
        ),
        "stock_incomplete": "Geef een naam, een begin- en een eindvoorraad.",
        # Help and going back
        "help_title": "Waar vindt u dit?",
        "help_keys": (
            "Toetsen: F3 vorige vraag · F4 alle antwoorden · F5 rapport · "
            "F6 interviews · F7 balans · F8 notitie · F2 English · "
            "ctrl+p alle opdrachten"
        ),
        "who_to_ask": "Wie weet het: {who}",
        "first_question": "Dit is de eerste vraag.",
        "revisit": (
            "Terug naar een eerdere vraag. Wijzig het antwoord en bevestig; Esc gaat "
            "verder waar u was."
        ),
        # The end
        "finished": "Het interview is klaar. Dank u wel!",
        "summary": "Ingaand {inputs}, uitgaand {outputs}, onverklaard verschil {gap}.",
        "report_written": "Het rapport staat in:\n{path}",
        "report_failed": "Het rapport kon niet worden gemaakt: {detail}",
        "end.view": "Rapport bekijken",
        "end.back": "Terug naar de laatste vraag",
        "end.quit": "Stoppen",
        "report_hint": "Esc = terug · pijltjes/PgUp/PgDn = bladeren",
        # More keys
        "key.review": "Antwoorden",
        "key.report": "Rapport",
        "key.interviews": "Interviews",
        "key.panel": "Balans",
        "key.list_copy": "Kopie",
        "key.list_export": "Exporteren",
        "key.list_delete": "Verwijderen",
        "key.list_new": "Nieuw",
        "key.list_back": "Terug",
        "tip.list_copy": "Nieuw interview met dezelfde antwoorden, behalve de periode",
        "tip.list_export": "Als gegevensbestand (YAML) in de gegevensmap",
        "tip.list_delete": "Het interview en al zijn antwoorden verwijderen",
        "tip.list_new": "Een nieuw interview beginnen",
        "tip.list_back": "Terug naar het gesprek",
        "tip.review": "Alle antwoorden per stap; kies er een om het te wijzigen",
        "tip.report": "Het rapport zoals het er nu voor staat",
        "tip.interviews": "Alle interviews: verder, kopiëren, exporteren, verwijderen",
        "tip.panel": "De balans naast het gesprek tonen of verbergen",
        "key.note": "Notitie",
        "tip.note": "Een notitie bij het antwoord op deze vraag",
        "note.prompt": "Notitie bij: {question}",
        "note.hint": "Enter bewaart de notitie bij het antwoord · Esc laat het zo",
        "note.shown": "Notitie: {note} (wordt bewaard met het antwoord)",
        "note.none": "Er staat geen vraag open om een notitie bij te maken.",
        "tip.pick": "Klik om dit antwoord te wijzigen",
        "no_interview": "Er is nog geen interview open.",
        "resume_all": "Alle interviews bekijken",
        # Step summaries and observations
        "summary.head": "Samenvatting · {step}",
        "summary.in": "In: {total}",
        "summary.out": "Uit: {total}",
        "summary.answered": "{n} vragen beantwoord; geen stromen in deze stap.",
        "summary.answered_one": "1 vraag beantwoord; geen stromen in deze stap.",
        "summary.unknown": "Hoeveelheid nog onbekend: {names}",
        "summary.dont_know": "{n}× 'weet ik niet'",
        "summary.unconverted": "Nog niet in kg: {names}",
        "summary.more": "nog {n}",
        "obs.prefix": "Opvallend: ",
        "obs.unconverted": (
            "'{name}' telt nog niet mee in de balans: het is niet om te rekenen "
            "naar kg. Geef een dichtheid of gewicht per stuk (klik op het antwoord "
            "om het te wijzigen)."
        ),
        "obs.composite": (
            "van '{name}' is de samenstelling onbekend. Vraag de leverancier om een "
            "materialenpaspoort; anders blijft het één blok in de balans."
        ),
        "obs.packaging": (
            "verpakking is {pct} van alles wat binnenkomt ({kg}). Herbruikbare "
            "verpakking of afspraken met leveranciers kunnen dat verkleinen."
        ),
        "obs.water": (
            "er komt {kg} water binnen, maar er gaat geen afvalwater uit. Verdampt "
            "het, zit het in het product, of ontbreekt het afvalwater nog?"
        ),
        "obs.gap": (
            "van de {inputs} die binnenkomt is {gap} ({pct}) nog niet verklaard: "
            "denk aan verdamping, emissies of afval dat nog niet genoemd is."
        ),
        "obs.outputs_exceed": (
            "er gaat {kg} meer uit dan er binnenkomt: kijk of iets dubbel geteld is "
            "of in de verkeerde eenheid staat."
        ),
        "obs.largest_in": "'{name}' is de grootste: {pct} van wat hier binnenkomt.",
        "obs.largest_out": "'{name}' is de grootste: {pct} van wat hier uitgaat.",
        # Answers that count again or no longer
        "branch.restored": "Door dit antwoord tellen deze eerdere antwoorden weer mee:",
        "branch.hidden": (
            "Door dit antwoord tellen deze antwoorden niet meer mee (ze blijven "
            "bewaard en komen terug als u het weer wijzigt):"
        ),
        # The review of all answers
        "review.title": "Alle antwoorden",
        "review.hint": "Enter of klik = wijzigen · Esc = terug",
        "review.inactive": "Telt niet mee: verborgen door een ander antwoord",
        "review.empty": "Nog geen antwoorden.",
        # The balance panel
        "panel.title": "Balans",
        "panel.in": "In",
        "panel.out": "Uit",
        "panel.gap": "Verschil",
        "panel.unconverted": "Niet in kg",
        "panel.unknown": "Onbekend",
        "panel.empty": "Nog geen stromen.",
        "panel.hint": "F7 = verbergen",
        # The interviews
        "list.title": "Interviews · Enter = verder · Esc = terug",
        "list.col.id": "Nr",
        "list.col.company": "Bedrijf",
        "list.col.period": "Periode",
        "list.col.status": "Status",
        "list.col.language": "Taal",
        "list.col.updated": "Gewijzigd",
        "status.open": "open",
        "status.finished": "klaar",
        "list.continue": "Verder",
        "list.copy": "Kopiëren",
        "list.export": "Exporteren",
        "list.delete": "Verwijderen",
        "list.new": "Nieuw",
        "list.back": "Terug",
        "list.empty": "Er zijn nog geen interviews.",
        "list.exported": "Geëxporteerd naar {path}",
        "list.export_failed": "Exporteren lukte niet: {detail}",
        "list.deleted": "Interview {id} is verwijderd.",
        "list.is_current": (
            "Dit interview is nu open. Open eerst een ander interview om dit te "
            "verwijderen."
        ),
        "confirm.delete": (
            "Interview {id} ({company}, {period}) met al zijn antwoorden "
            "verwijderen? Dat kan niet ongedaan worden gemaakt."
        ),
        "confirm.yes": "Ja, verwijderen",
        "confirm.no": "Nee",
        "copy.intro": (
            "Dit is een kopie van {company} ({period}): alle antwoorden zijn "
            "overgenomen, behalve de periode. We lopen ze samen langs: Enter houdt "
            "een antwoord zoals het was, of wijzig het."
        ),
        # The report
        "report.written_at": "Rapport: {path}",
        "report.draft": "Concept: het interview is nog niet af.",
        # Densities from the table
        "ask.density_table": (
            "'{name}' staat in {unit}, een volume. Volgens de tabel is de dichtheid "
            "{value} ({conditions}; bron: {source}). Enter = overnemen, of typ een "
            "eigen waarde · ? = weet ik niet"
        ),
    },
    "en": {
        "key.help": "Help",
        "key.back": "Back",
        "key.language": "Nederlands",
        "key.quit": "Quit",
        "tip.help": "Where to find this figure",
        "tip.back": "To the previous question, to change its answer",
        "tip.language": "Het interview in het Nederlands",
        "tip.quit": "Quit; every answer is already saved",
        "ctrl_c": "Quit with ctrl+q. Your answers are already saved.",
        "title": "Mass balance",
        "welcome": (
            "Welcome. I will ask you, step by step, what goes into your company and "
            "what comes out. Every answer is saved at once: you can quit at any time "
            "(ctrl+q) and continue later. F1 shows where to find a figure; click an "
            "answer to change it; ctrl+p shows every command."
        ),
        "welcome_back": "Welcome back. These are your answers so far.",
        "resume_unconverted": (
            "Not yet converted to kg, so not yet in the balance: {flows}. Pick the "
            "answer above that has the line, and add the density or piece mass."
        ),
        "resume_offer": (
            "There is an interview that is not finished:\n"
            "  company: {company}\n  period: {period}\n"
            "  last changed: {updated}\n"
            "  answered: {answered} questions\n"
            "Do you want to continue it?"
        ),
        "resume_continue": "Continue this interview",
        "resume_new": "Start a new interview",
        "other_questionnaire": (
            "Note: this interview was started with questionnaire {label}; {current} "
            "is used now."
        ),
        "unnamed": "(no name yet)",
        "no_period": "(not given yet)",
        "progress": "step {n}/{m} · {answered}/{visible} answered",
        "progress_done": "finished · {answered}/{visible} answered",
        "balance": "In {inputs} · Out {outputs} · Difference {gap}",
        "balance_unconverted": "{n} not in kg",
        "balance_unknown": "{n} unknown",
        "dont_know": "Don't know",
        "skipped": "(skipped)",
        "none": "None",
        "hint.text": "Enter = next · ? = don't know · F1 = help",
        "hint.text_optional": "Enter = next (may be empty) · ? = don't know",
        "hint.number": "A number, e.g. 1250 or 12.5 · ? = don't know · F1 = help",
        "hint.quantity": "E.g. 850 m3 or 1.5 t{default} · ? = don't know",
        "hint.default_unit": " · a number alone = {unit}",
        "hint.choice": "Arrows or a letter, then Enter, or click · F1 = help",
        "hint.multi": "Space = on/off · Enter = done · F1 = help",
        "hint.list": "Type e.g. '{example}' + Enter · empty line + Enter = done",
        "hint.table": "table: Enter = change · Del = remove",
        "hint.stock": "Name, opening, closing, unit + Enter · empty + Enter = done",
        "placeholder.stock_name": "e.g. oak",
        "placeholder.stock_opening": "e.g. 2.5",
        "placeholder.stock_closing": "e.g. 4",
        "placeholder.stock_unit": "e.g. t",
        "missing.density": "no kg: the density is missing",
        "missing.mass_per_piece": "no kg: the mass per piece is missing",
        "placeholder.text": "Your answer",
        "placeholder.number": "e.g. 1250",
        "placeholder.quantity": "e.g. 850 {unit}",
        "placeholder.item": "e.g. {example}",
        "item_line": "New item: amount, unit, name",
        "item_edit": "Change item (Enter = save)",
        "button.dont_know": "Don't know",
        "button.add": "Add",
        "button.delete": "Delete",
        "button.done": "Done",
        "button.retype": "Retype",
        "empty_answer": "The answer is empty; type one, or '?' for don't know.",
        "unknown_not_allowed": "Here 'don't know' is not an answer; fill in something.",
        "shares_sum": (
            "The shares add up to {total} %, not 100 %; correct the composition."
        ),
        "col.name": "Name",
        "col.amount": "Amount",
        "col.kg": "kg",
        "col.kind": "Kind",
        "col.opening": "Opening",
        "col.closing": "Closing",
        "col.unit": "Unit",
        "stock.name": "Name",
        "stock.opening": "Opening",
        "stock.closing": "Closing",
        "stock.unit": "Unit",
        "ambiguous": "'{typed}' can mean two things. Which one do you mean?",
        "retype": "Type it again",
        "ton_question": (
            "A 'ton' can be a metric tonne (1 000 kg) or a US short ton "
            "(907.18 kg). Which one does this interview mean?"
        ),
        "ton_metric": "Metric tonne: 1 000 kg",
        "ton_short": "Short ton: 907.18 kg",
        "ask.density": (
            "'{name}' is in {unit}, a volume. What is its density? "
            "E.g. {example} · ? = don't know"
        ),
        "ask.mass_per_piece": (
            "'{name}' is counted in {unit}. What does one {one} weigh? E.g. "
            "{example} · ? = don't know"
        ),
        "not_converted": "cannot be converted to kg",
        "default_density": "taking 1 kg/l",
        "from_table": "from the table",
        "problems": "Not quite right yet:",
        "internal_error": (
            "This answer could not be processed ({detail}). Try something else or "
            "choose 'don't know'; the error is in the log."
        ),
        "not_a_number": "I cannot read that number. {detail}",
        "bad_unit": "I do not know that unit. {detail}",
        "unit_slip": (
            "'{word}' after the number looks like a unit. {detail} Correct the "
            "unit, or put the name first if '{word}' belongs to the name "
            "('{word} {name} {number} {unit}')."
        ),
        "amount_needed": "Start with a number, for example 850 m3 or 1.5 t.",
        "unit_needed": "Give a unit too, for example kg, t, l, m3 or pcs.",
        "item_empty": "Type an item first, for example 12.5 t oak.",
        "item_semicolon": (
            "Write it as 'name; amount unit', for example 'PE 100 pipe; 5 t'."
        ),
        "item_no_amount": (
            "Give the amount of '{name}' too, for example '12.5 t {name}', or "
            "'? {name}' if you do not know it."
        ),
        "item_no_name": "Give a name too, for example '12.5 t oak'.",
        "share_bad": (
            "'{part}' is not a share I can read; write material and percentage, for "
            "example 'glass fibre 33.33; resin 66.67'."
        ),
        "stock_incomplete": "Give a name, an opening and a closing stock.",
        "help_title": "Where to find this",
        "help_keys": (
            "Keys: F3 previous question · F4 all answers · F5 report · "
            "F6 interviews · F7 balance · F8 note · F2 Nederlands · "
            "ctrl+p every command"
        ),
        "who_to_ask": "Who knows: {who}",
        "first_question": "This is the first question.",
        "revisit": (
            "Back to an earlier question. Change the answer and confirm; Esc goes on "
            "where you were."
        ),
        "finished": "The interview is finished. Thank you!",
        "summary": "Inputs {inputs}, outputs {outputs}, unexplained gap {gap}.",
        "report_written": "The report is in:\n{path}",
        "report_failed": "The report could not be written: {detail}",
        "end.view": "View the report",
        "end.back": "Back to the last question",
        "end.quit": "Quit",
        "report_hint": "Esc = back · arrows/PgUp/PgDn = scroll",
        "key.review": "Answers",
        "key.report": "Report",
        "key.interviews": "Interviews",
        "key.panel": "Balance",
        "key.list_copy": "Copy",
        "key.list_export": "Export",
        "key.list_delete": "Delete",
        "key.list_new": "New",
        "key.list_back": "Back",
        "tip.list_copy": "A new interview with the same answers, except the period",
        "tip.list_export": "As a data file (YAML) in the data folder",
        "tip.list_delete": "Delete the interview and all its answers",
        "tip.list_new": "Start a new interview",
        "tip.list_back": "Back to the conversation",
        "tip.review": "Every answer by step; pick one to change it",
        "tip.report": "The report as it stands now",
        "tip.interviews": "All interviews: continue, copy, export, delete",
        "tip.panel": "Show or hide the balance beside the conversation",
        "key.note": "Note",
        "tip.note": "A note to the answer of this question",
        "note.prompt": "A note to: {question}",
        "note.hint": "Enter keeps the note with the answer · Esc leaves it",
        "note.shown": "Note: {note} (saved with the answer)",
        "note.none": "No question is open to add a note to.",
        "tip.pick": "Click to change this answer",
        "no_interview": "No interview is open yet.",
        "resume_all": "See all interviews",
        "summary.head": "Summary · {step}",
        "summary.in": "In: {total}",
        "summary.out": "Out: {total}",
        "summary.answered": "{n} questions answered; no flows in this step.",
        "summary.answered_one": "1 question answered; no flows in this step.",
        "summary.unknown": "Quantity still unknown: {names}",
        "summary.dont_know": "{n}× 'don't know'",
        "summary.unconverted": "Not in kg yet: {names}",
        "summary.more": "{n} more",
        "obs.prefix": "Worth noting: ",
        "obs.unconverted": (
            "'{name}' does not count in the balance yet: it cannot be converted to "
            "kg. Give a density or a mass per piece (click the answer to change it)."
        ),
        "obs.composite": (
            "the composition of '{name}' is unknown. Ask the supplier for a material "
            "passport; otherwise it stays one lump in the balance."
        ),
        "obs.packaging": (
            "packaging is {pct} of everything that comes in ({kg}). Reusable "
            "packaging or agreements with suppliers can reduce that."
        ),
        "obs.water": (
            "{kg} of water comes in, but no wastewater leaves. Does it evaporate, "
            "end up in the product, or is the wastewater still missing?"
        ),
        "obs.gap": (
            "of the {inputs} coming in, {gap} ({pct}) is not accounted for yet: "
            "think of evaporation, emissions or waste not entered yet."
        ),
        "obs.outputs_exceed": (
            "{kg} more leaves than comes in: check for something counted twice or "
            "entered in the wrong unit."
        ),
        "obs.largest_in": "'{name}' is the largest flow: {pct} of what comes in here.",
        "obs.largest_out": "'{name}' is the largest flow: {pct} of what leaves here.",
        "branch.restored": "Because of this answer these earlier answers count again:",
        "branch.hidden": (
            "Because of this answer these answers no longer count (they are kept, "
            "and come back if you change it again):"
        ),
        "review.title": "All answers",
        "review.hint": "Enter or click = change · Esc = back",
        "review.inactive": "Not counted: hidden by another answer",
        "review.empty": "No answers yet.",
        "panel.title": "Balance",
        "panel.in": "In",
        "panel.out": "Out",
        "panel.gap": "Gap",
        "panel.unconverted": "Not in kg",
        "panel.unknown": "Unknown",
        "panel.empty": "No flows yet.",
        "panel.hint": "F7 = hide",
        "list.title": "Interviews · Enter = continue · Esc = back",
        "list.col.id": "No",
        "list.col.company": "Company",
        "list.col.period": "Period",
        "list.col.status": "Status",
        "list.col.language": "Lang",
        "list.col.updated": "Changed",
        "status.open": "open",
        "status.finished": "finished",
        "list.continue": "Continue",
        "list.copy": "Copy",
        "list.export": "Export",
        "list.delete": "Delete",
        "list.new": "New",
        "list.back": "Back",
        "list.empty": "There are no interviews yet.",
        "list.exported": "Exported to {path}",
        "list.export_failed": "The export failed: {detail}",
        "list.deleted": "Interview {id} was deleted.",
        "list.is_current": (
            "This interview is open now. Open another interview first to delete "
            "this one."
        ),
        "confirm.delete": (
            "Delete interview {id} ({company}, {period}) with all its answers? This "
            "cannot be undone."
        ),
        "confirm.yes": "Yes, delete",
        "confirm.no": "No",
        "copy.intro": (
            "This is a copy of {company} ({period}): every answer was taken over "
            "except the period. Let us go through them: Enter keeps an answer as it "
            "was, or change it."
        ),
        "report.written_at": "Report: {path}",
        "report.draft": "Draft: the interview is not finished yet.",
        "ask.density_table": (
            "'{name}' is in {unit}, a volume. The table gives a density of {value} "
            "({conditions}; source: {source}). Enter = accept, or type your own "
            "value · ? = don't know"
        ),
    },
}

# Labels of the extra fields of a flow-list item.
FIELD_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "kind": "Soort",
        "material": "Materiaal",
        "supplier": "Leverancier",
        "processor": "Verwerker",
        "treatment": "Verwerking",
        "destination": "Bestemming",
        "origin": "Herkomst",
        "cost_eur": "Kosten (€)",
        "revenue_eur": "Opbrengst (€)",
        "basis": "Hoe bekend",
        "ewc_code": "Euralcode",
        "hazardous": "Gevaarlijk",
        "composition": "Samenstelling",
        "density": "Dichtheid",
        "mass_per_piece": "Gewicht/stuk",
        "units": "Aantal stuks",
        "use_phase": "Afval tijdens gebruik",
        "end_of_life": "Levenseinde",
        "note": "Opmerking",
    },
    "en": {
        "kind": "Kind",
        "material": "Material",
        "supplier": "Supplier",
        "processor": "Processor",
        "treatment": "Treatment",
        "destination": "Destination",
        "origin": "Origin",
        "cost_eur": "Cost (€)",
        "revenue_eur": "Revenue (€)",
        "basis": "How known",
        "ewc_code": "EWC code",
        "hazardous": "Hazardous",
        "composition": "Composition",
        "density": "Density",
        "mass_per_piece": "Mass/piece",
        "units": "Units",
        "use_phase": "Use-phase waste",
        "end_of_life": "End of life",
        "note": "Note",
    },
}

FIELD_PLACEHOLDERS: dict[str, dict[str, str]] = {
    "nl": {
        "material": "bv. eikenhout",
        "supplier": "bv. Jansen BV",
        "processor": "bv. Renewi",
        "destination": "bv. spaanplaat",
        "use_phase": "bv. filters, batterijen, verpakking bij de klant",
        "end_of_life": "bv. terugname",
        "note": "vrije tekst",
        "composition": "bv. glasvezel 33,33; hars 33,33; vulstof 33,34",
        "density": "0,84 kg/l",
        "mass_per_piece": "25 kg",
        "cost_eur": "bv. 1250",
        "revenue_eur": "bv. 1250",
        "units": "bv. 1000",
        "ewc_code": "bv. 03 01 05",
    },
    "en": {
        "material": "e.g. oak",
        "supplier": "e.g. Smith Ltd",
        "processor": "e.g. Renewi",
        "destination": "e.g. chipboard",
        "use_phase": "e.g. filters, batteries, packaging at the customer",
        "end_of_life": "e.g. take-back",
        "note": "free text",
        "composition": "e.g. glass fibre 33.33; resin 33.33; filler 33.34",
        "density": "0.84 kg/l",
        "mass_per_piece": "25 kg",
        "cost_eur": "e.g. 1250",
        "revenue_eur": "e.g. 1250",
        "units": "e.g. 1000",
        "ewc_code": "e.g. 03 01 05",
    },
}

# Short names of the kinds of flow, for a table column and a pick list.
KIND_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "raw_material": "grondstof",
        "composite_material": "samengesteld",
        "semi_finished": "halffabricaat",
        "auxiliary": "hulpstof",
        "product": "product",
        "by_product": "bijproduct",
        "waste": "afval",
        "wastewater": "afvalwater",
        "emission": "emissie",
    },
    "en": {
        "raw_material": "raw material",
        "composite_material": "composite",
        "semi_finished": "semi-finished",
        "auxiliary": "auxiliary",
        "product": "product",
        "by_product": "by-product",
        "waste": "waste",
        "wastewater": "wastewater",
        "emission": "emission",
    },
}

# An example line per kind, for the hint and the placeholder of a flow list.
EXAMPLES: dict[str, dict[str, str]] = {
    "nl": {
        "raw_material": "12,5 t eikenhout",
        "composite_material": "2 t GVK-plaat",
        "semi_finished": "500 st scharnieren",
        "auxiliary": "200 l smeerolie",
        "product": "1200 st tafels",
        "by_product": "3 t houtsnippers",
        "waste": "3,5 t zaagsel",
        "wastewater": "120 m3 spoelwater",
        "emission": "500 kg stof",
    },
    "en": {
        "raw_material": "12.5 t oak",
        "composite_material": "2 t GRP sheet",
        "semi_finished": "500 pcs hinges",
        "auxiliary": "200 l lubricating oil",
        "product": "1200 pcs tables",
        "by_product": "3 t wood chips",
        "waste": "3.5 t sawdust",
        "wastewater": "120 m3 rinse water",
        "emission": "500 kg dust",
    },
}

# Labels of the fixed values of some fields.
VALUE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "treatment": {
        "nl": {
            "reuse": "hergebruik",
            "recycling": "recycling",
            "composting": "composteren",
            "digestion": "vergisten",
            "energy_recovery": "verbranden met energiewinning",
            "incineration": "verbranden",
            "landfill": "storten",
            "sewer": "riool",
            "unknown": "onbekend",
        },
        "en": {
            "reuse": "reuse",
            "recycling": "recycling",
            "composting": "composting",
            "digestion": "digestion",
            "energy_recovery": "energy recovery",
            "incineration": "incineration",
            "landfill": "landfill",
            "sewer": "sewer",
            "unknown": "unknown",
        },
    },
    "origin": {
        "nl": {
            "virgin": "nieuw (primair)",
            "recycled": "gerecycled",
            "renewable": "hernieuwbaar",
            "reused": "hergebruikt",
            "unknown": "onbekend",
        },
        "en": {
            "virgin": "virgin",
            "recycled": "recycled",
            "renewable": "renewable",
            "reused": "reused",
            "unknown": "unknown",
        },
    },
    "basis": {
        "nl": {
            "measured": "gemeten",
            "invoice": "factuur",
            "estimated": "geschat",
            "unknown": "onbekend",
        },
        "en": {
            "measured": "measured",
            "invoice": "invoice",
            "estimated": "estimated",
            "unknown": "unknown",
        },
    },
    "hazardous": {
        "nl": {"yes": "ja", "no": "nee"},
        "en": {"yes": "yes", "no": "no"},
    },
}


def tr(key: str, language: str, **values: object) -> str:
    """The string `key` in `language` (Dutch when missing), `values` filled in."""
    table = STRINGS.get(language, STRINGS["nl"])
    text = table.get(key) or STRINGS["nl"][key]
    return text.format(**values) if values else text


def field_label(field: str, language: str) -> str:
    return FIELD_LABELS.get(language, FIELD_LABELS["nl"]).get(field, field)


def value_label(field: str, value: str, language: str) -> str:
    labels = VALUE_LABELS.get(field, {}).get(language, {})
    return labels.get(value, value)


def kind_label(kind: str, language: str) -> str:
    return KIND_LABELS.get(language, KIND_LABELS["nl"]).get(kind, kind)


def example_item(kind: str, language: str) -> str:
    examples = EXAMPLES.get(language, EXAMPLES["nl"])
    return examples.get(kind, examples["raw_material"])


# One of a piece unit, as a question names it: "één stuk", not "één st".
_ONE_PIECE = {
    "nl": {
        "st": "stuk",
        "stuks": "stuk",
        "pcs": "stuk",
        "pc": "stuk",
        "piece": "stuk",
        "pieces": "stuk",
        "zakken": "zak",
        "rollen": "rol",
        "pallets": "pallet",
        "vaten": "vat",
        "emmers": "emmer",
        "flessen": "fles",
        "containers": "container",
        "ibcs": "IBC",
    },
    "en": {
        "st": "piece",
        "stuk": "piece",
        "stuks": "piece",
        "pcs": "piece",
        "pc": "piece",
        "pieces": "piece",
        "bags": "bag",
        "boxes": "box",
        "rolls": "roll",
        "drums": "drum",
        "ibcs": "IBC",
        "buckets": "bucket",
        "bottles": "bottle",
        "cans": "can",
        "containers": "container",
        "pallets": "pallet",
    },
}


def one_piece(unit: object, language: str) -> str:
    """The singular of a piece unit for "what does one ... weigh?"."""
    word = str(unit or "").strip()
    return _ONE_PIECE.get(language, {}).get(word.casefold(), word)
