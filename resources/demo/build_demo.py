"""Build resources/demo/telco.jmap, the sample project that ``journeymapper --demo`` copies:
two segments with the same telco journey (5 stages, 13 touchpoints), a hand-drawn flow with a
few observed counts, and the sample data in data/ imported through the ordinary import code
(survey, KPIs, competitors, and the journey starts the economics bar needs).

Run from the repository: ``.venv/bin/python resources/demo/build_demo.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

from journeymapper.analysis.attribution import VALUE_SETTING
from journeymapper.analysis.rfm import RFM_METRICS
from journeymapper.commands import analysis as analysis_cmds
from journeymapper.commands import lanes, plan
from journeymapper.importers.apply import import_file
from journeymapper.importers.options import ImportOptions
from journeymapper.model import Observation, Segment, Stage, Touchpoint, Transition
from journeymapper.model.layout import next_slot
from journeymapper.storage import ProjectFile

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
TARGET = HERE / "telco.jmap"

CHANNELS = {
    "TV ad": "media", "Comparison site": "partner", "Web shop": "web", "Retail store": "store",
    "Sales hotline": "phone", "Router delivery": "mail", "Technician visit": "field",
    "Welcome email": "email", "Mobile app": "app", "Bill": "mail", "Call centre": "phone",
    "Live chat": "chat", "Outage SMS": "other",
}
OWNERS = {"Web shop": "E-commerce", "Retail store": "Retail", "Sales hotline": "Sales",
          "Technician visit": "Field service", "Call centre": "Customer care",
          "Live chat": "Customer care", "Mobile app": "Digital", "Bill": "Billing"}
REVENUE = {"Household": 46.5, "Small business": 92.0}  # per customer and month
# A purchase is made in one of these: the journey's goal.
GOALS = {"Web shop", "Retail store", "Sales hotline"}
CONTACT_KINDS = {"Router delivery": "onboarding", "Technician visit": "onboarding",
                 "Welcome email": "onboarding", "Outage SMS": "event-triggered"}
# The flow as a workshop would draw it; counts are what the team had at hand (per month).
FLOW = [
    ("TV ad", "Comparison site", 900), ("TV ad", "Web shop", 400),
    ("Comparison site", "Web shop", 700), ("Comparison site", "Retail store", 300),
    ("Comparison site", "Sales hotline", None), ("Web shop", "Router delivery", 850),
    ("Retail store", "Router delivery", None), ("Sales hotline", "Technician visit", None),
    ("Router delivery", "Technician visit", 600), ("Router delivery", "Welcome email", None),
    ("Technician visit", "Welcome email", None), ("Welcome email", "Mobile app", None),
    ("Mobile app", "Bill", None), ("Bill", "Call centre", 240), ("Bill", "Live chat", None),
    ("Mobile app", "Live chat", None), ("Outage SMS", "Call centre", None),
    ("Call centre", "Call centre", 90), ("Live chat", "Call centre", None),
]


def build(target: Path = TARGET, data: Path = DATA) -> Path:
    expected = json.loads((data / "expected.json").read_text(encoding="utf-8"))
    if target.exists():
        target.unlink()
    with ProjectFile.create(target, "Telco: broadband journeys", segment=None) as pf:
        with pf.transaction():
            for s_pos, seg_name in enumerate(expected["segments"]):
                seg = pf.insert(Segment(seg_name, s_pos))
                stages = {name: pf.insert(Stage(seg.id, name, pos))
                          for pos, name in enumerate(expected["stages"])}
                placed: dict[str, list[Touchpoint]] = {name: [] for name in stages}
                ids = {}
                for tp_name, stage_name in expected["touchpoints"].items():
                    x, y = next_slot(placed[stage_name])
                    tp = pf.insert(Touchpoint(
                        seg.id, stages[stage_name].id, tp_name, channel=CHANNELS[tp_name],
                        owner=OWNERS.get(tp_name, ""), goal=tp_name in GOALS,
                        moment_of_truth=tp_name == "Technician visit",
                        contact_kind=CONTACT_KINDS.get(tp_name, "organic"), x=x, y=y))
                    placed[stage_name].append(tp)
                    ids[tp_name] = tp.id
                for source, target_name, count in FLOW:
                    pf.insert(Transition(seg.id, ids[source], ids[target_name], count))
        # Revenue per customer, as a transactions import of each segment's customers would
        # store it (the demo has no transactions file: the figures are typed in here).
        pf.insert(next(m for m in RFM_METRICS if m.key == "revenue_per_customer"))
        for seg in pf.segments():
            pf.insert(Observation("revenue_per_customer", seg.id, REVENUE[seg.name], None,
                                  period="2026-Q1"))
        for name, options in (
                ("survey_qualtrics.csv", ImportOptions(kind="survey")),
                ("kpis_long.csv", ImportOptions(kind="metrics")),
                ("competitors.csv", ImportOptions(kind="metrics")),
                # Journey starts, so the economics bar has its figures.
                ("economics.csv", ImportOptions(kind="metrics"))):
            result = import_file(pf, data / name, options)
            print(result.summary.splitlines()[0])
        add_plan(pf, data)
        add_story(pf)
    target.chmod(0o644)  # a resource to copy, not a private temporary file
    return target


# What the workshop heard and saw, per segment and touchpoint: (sign, text, source).
EVIDENCE = {"Household": {
    "Call centre": [("-", "32 min average wait on Mondays, after the bill run", "call logs, March"),
                    ("-", "agents cannot see the order status of a new line", "workshop"),
                    ("+", "billing specialists solve 4 in 5 calls at first contact",
                     "QA sample")],
    "Technician visit": [("+", "technicians explain the router set-up well", "survey verbatims"),
                         ("-", "4-hour window: customers take a day off", "NPS comments"),
                         ("-", "one visit in five rebooked, wrong cable on the van",
                          "field ops report")],
    "Web shop": [("+", "clear comparison of the three plans", "survey"),
                 ("-", "availability check asks for the address twice", "usability test")],
    "Mobile app": [("+", "the usage chart is the most used screen", "analytics"),
                   ("-", "login fails after a password reset", "app store reviews")],
    "Bill": [("-", "the first bill is pro-rated and nobody explains it", "call reasons")],
    "Comparison site": [("-", "our listing shows the price without the router",
                         "mystery shopping")],
    "Retail store": [("+", "staff know the product", "mystery shopping")]},
    "Small business": {
    "Call centre": [("-", "outages go to the consumer queue", "key account feedback")],
    "Sales hotline": [("+", "one named contact from quote to installation", "win/loss")]}}
# The plan: (segment, touchpoint or "stage:NAME", title, owner, due, status, effort, votes,
# expected effect).
PLAN = [
    ("Household", "Call centre", "Call-back instead of the queue on Mondays", "Customer care",
     "2027-02-15", "doing", "M", 5, "Wait under 5 min after the bill run; fewer repeat calls"),
    ("Household", "Technician visit", "2-hour visit windows, SMS 30 min before", "Field service",
     "2027-03-31", "planned", "L", 4, "No day off for the customer; rebooked visits halved"),
    ("Household", "Mobile app", "Fix the login after a password reset", "Digital",
     "2027-01-20", "doing", "S", 3, "App store rating back above 4"),
    ("Household", "Comparison site", "List the price with router and installation",
     "Marketing", "", "idea", "S", 2,
     "The price compared is the price paid: fewer leave the comparison for a rival"),
    ("Household", "Web shop", "Ask for the address once in the availability check",
     "E-commerce", "2027-02-28", "planned", "S", 2, "Drop-off at the check halved"),
    ("Household", "stage:Onboarding", "Welcome call explaining the first bill", "Billing",
     "2027-04-30", "idea", "M", 1, "Fewer first-bill calls to the call centre"),
    ("Small business", "Call centre", "A business line for outages", "Customer care",
     "2027-03-15", "planned", "M", 3, "Business outages answered within 2 min"),
]
# Dot votes the workshop gave the cards.
VOTES = {"Household": {"Call centre": 4, "Technician visit": 3, "Mobile app": 2}}
VALUE_PER_CONVERSION = "560"  # a household's first year of broadband, in euros


def add_plan(pf: ProjectFile, data: Path = DATA) -> None:
    """The diagnosis and the plan of a workshop: evidence notes, dot votes and actions (some on
    the weak touchpoints), and the journeys (a chain) that give the actions their value at
    stake."""
    pf.set_setting(VALUE_SETTING, VALUE_PER_CONVERSION)
    result = import_file(pf, data / "journey_chain.csv", ImportOptions(kind="chain"))
    print(result.summary.splitlines()[0])
    for seg in pf.segments():
        cards = {t.name: t.id for t in pf.touchpoints(seg.id)}
        stages = {s.name: s.id for s in pf.stages(seg.id)}
        for name, notes in EVIDENCE.get(seg.name, {}).items():
            for sign, text, source in notes:
                plan.add_note(pf, cards[name], sign, text, source)
        for name, votes in VOTES.get(seg.name, {}).items():
            plan.vote(pf, touchpoint_ids=[cards[name]], delta=votes)
        for segment, target, title, owner, due, status, effort, votes, effect in PLAN:
            if segment != seg.name:
                continue
            on_stage = target.startswith("stage:")
            plan.add_action(pf, title, touchpoint_id=None if on_stage else cards[target],
                            stage_id=stages[target[6:]] if on_stage else None,
                            segment_id=seg.id, owner=owner, due=due, status=status,
                            effort=effort, votes=votes, effect=effect)


# The story a workshop told per segment: lane name -> one text per stage (Awareness, Purchase,
# Onboarding, Use, Support), the emotion per stage (-3..+3) and the persona.
STORY = {
    "Household": {
        "Customer goal": ["Faster internet for streaming and home office",
                          "A fair price without a long contract",
                          "Online on day one, no day off work",
                          "It just works; the bill is what was promised",
                          "One call that fixes it"],
        "Doing": ["Sees the TV ad, compares three offers on a comparison site",
                  "Orders in the web shop, some ask in the store first",
                  "Waits for the router, books the technician",
                  "Streams, works from home, checks the bill in the app",
                  "Calls after a surprise on the bill or an outage"],
        "Thinking & feeling": ["“Are these speeds real at my address?”",
                               "“Finally, that was easy”",
                               "“Why do I have to be home all day?”",
                               "“Good, as long as nobody calls me”",
                               "“I have explained this three times now”"],
        "Pain points": ["Offers are hard to compare: fees hidden in small print",
                        "Address check fails for new buildings",
                        "Technician slot of 8 hours; no-shows on Mondays",
                        "First bill higher than the offer (pro-rata month)",
                        "32 min wait after the bill run; no order status for agents"],
        "Opportunities": ["Show the real speed for the address in the ad's landing page",
                          "Save the basket when the address check fails",
                          "2-hour slots with an SMS when the technician is on the way",
                          "Explain the first bill in the app before it arrives",
                          "Order status in the agents' screen; call-back instead of queue"],
    },
    "Small business": {
        "Customer goal": ["Reliable line for the shop's card terminal and phone",
                          "A business contract with a named contact",
                          "Switch over outside opening hours",
                          "No downtime in trading hours",
                          "Someone who knows the account, fast"],
        "Doing": ["Asks other shop owners; reads the comparison site",
                  "Calls the sales hotline to ask about static IPs",
                  "Agrees a switch-over date; moves the terminal",
                  "Pays by invoice; adds a second line at Christmas",
                  "Calls about outages; chats about invoices"],
        "Thinking & feeling": ["“Business offers all look the same”",
                               "“The hotline knew what a static IP is”",
                               "“If the terminal is down, I lose sales”",
                               "“Fine, but the invoice is confusing”",
                               "“The outage SMS came after I had called”"],
        "Pain points": ["Business offers buried under consumer ones",
                        "Quote takes 3 days; no online order",
                        "Switch-over only on weekdays 8-17",
                        "Invoice per line, not per shop",
                        "Outage SMS late; first-line agents cannot see the SLA"],
        "Opportunities": ["A business page with the static IP and SLA up front",
                          "Online quote in 10 minutes",
                          "Evening switch-over for shops",
                          "One invoice per shop, with the lines in it",
                          "Outage SMS first; SLA and account notes for every agent"],
    },
}
EMOTION = {"Household": [1, 2, -1, 1, -3], "Small business": [0, 2, -1, 0, -2]}
PERSONAS = {
    "Household": dict(
        name="Anna, 38, works from home",
        description="Two children, a home office and three streaming services; moved "
                    "into a new-build flat.",
        goals="Fast, stable internet at a fair price; no surprises on the bill.",
        needs="A technician slot she can plan; one person who owns her problem.",
        quote="I don't mind paying, I mind waiting.", colour="#2f6fd0"),
    "Small business": dict(
        name="Murat, 52, runs two bakeries",
        description="Card terminals, a phone line and guest Wi-Fi in each shop; does the "
                    "paperwork on Sunday evenings.",
        goals="No downtime in opening hours; one invoice he understands.",
        needs="Switch-over outside opening hours; an agent who sees his contract.",
        quote="When the line is down, the card terminal is down, and so am I.",
        colour="#c0561a"),
}


def portrait(colour: str) -> bytes:
    """A plain drawn head and shoulders on the persona's colour (the demo has no real photo)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(160, 160, QImage.Format.Format_ARGB32)
    image.fill(QColor(colour).lighter(160))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(0, 0, 0, 0))
    painter.setBrush(QColor(colour))
    painter.drawEllipse(QRectF(25, 100, 110, 110))  # shoulders
    painter.setBrush(QColor("#f1c9a5"))
    painter.drawEllipse(QPointF(80, 68), 30, 34)  # head
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def add_story(pf: ProjectFile) -> None:
    """The story lanes (the default ones and the emotion curve, above the cards, filled in for
    every stage), the typed-in emotion per stage and a persona with a drawn portrait, per
    segment, written through the same commands the app uses."""
    for seg in pf.segments():
        stages = sorted(pf.stages(seg.id), key=lambda s: s.position)
        story = STORY[seg.name]
        for name, texts in story.items():
            lanes.add_lane(pf, seg.id, name)
            lane = next(lane for lane in pf.lanes(seg.id) if lane.name == name)
            for stage, text in zip(stages, texts, strict=True):
                lanes.set_cell(pf, lane.id, stage.id, text)
        lanes.add_lane(pf, seg.id, "Emotion curve", kind="emotion")
        for stage, value in zip(stages, EMOTION[seg.name], strict=True):
            analysis_cmds.set_stage_emotion(pf, seg.id, stage.id, float(value))
        persona = dict(PERSONAS[seg.name])
        lanes.set_persona(pf, seg.id, photo=portrait(persona.pop("colour")), **persona)


if __name__ == "__main__":
    print(f"wrote {build()}")
