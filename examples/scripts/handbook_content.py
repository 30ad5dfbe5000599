"""The text of the Cairn & Crest staff handbook, one entry per PDF page.

Kept apart from the rendering code so the prose can be edited without touching layout. Page
numbers matter: ``examples/demo-qa.jsonl`` cites ``handbook.pdf#page=N``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    """A table printed into the PDF's text layer: a header row and body rows."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    col_widths: tuple[int, ...]


@dataclass(frozen=True)
class HandbookPage:
    """One page: a heading, paragraphs, optional tables, and optionally the sales chart."""

    heading: str
    paragraphs: tuple[str, ...]
    tables: tuple[Table, ...] = field(default=())
    with_chart: bool = False


TITLE = "Cairn & Crest Outfitters: Staff Handbook and Gear Buying Guide"

WELCOME = HandbookPage(
    heading="Welcome to the shop floor",
    paragraphs=(
        "Cairn & Crest Outfitters has sold tents, packs and boots from 14 Quarry Lane in "
        "Harrowfield since the shop opened, and ships orders nationwide from the warehouse "
        "behind it. This handbook is for everyone who works the floor, the till or the repair "
        "bench.",
        "Our promise to customers is simple: sell the right gear rather than the most gear. Ask "
        "where they are going, for how long and in which season before you recommend anything.",
        "Opening hours: Monday to Friday 9:00 to 19:00, Saturday 8:00 to 18:00, Sunday 10:00 to "
        "16:00. Staff arrive 20 minutes before opening. The repair bench takes drop-offs until one "
        "hour before closing.",
        "Contents: page 2, policies at the till; page 3, layering and sleep systems; page 4, "
        "choosing and fitting a pack; page 5, warranty claims; page 6, the quarterly sales review.",
    ),
)

TILL_POLICIES = HandbookPage(
    heading="Policies at the till",
    paragraphs=(
        "Returns: unused items in their original packaging come back within 60 days for a full "
        "refund. Used items come back within 30 days for store credit, unless misuse caused the "
        "damage. Electronics have a 30-day window and must include every cable. Fuel canisters "
        "and opened food cannot be returned.",
        "Refunds above $500 need a shift manager's approval code before the till will release "
        "them. Always refund to the original payment method; never pay out cash for a card sale.",
        "Price match: we match an authorised retailer's lower advertised price within 14 days of "
        "purchase for an identical, in-stock item. Check the competitor's page on the counter "
        "tablet. Clearance sales, auctions and marketplace sellers do not qualify.",
        "Crest Club: membership is free and earns 5% back as store credit. Offer it at every sale.",
        "Staff discount: 25% off full-price items from any brand and 40% off our own C&C "
        "Trailworks range, for up to $1,500 of purchases per calendar year.",
    ),
)

SLEEP_TABLE = Table(
    caption="Choosing a sleep system by expected night-time low",
    header=("Season", "Expected low", "Bag comfort rating", "Mat R-value", "Suggested bag"),
    rows=(
        ("Summer", "above 8 °C", "8 °C", "2.0 or more", "Fernhollow Drift 40"),
        ("Three-season", "down to -2 °C", "-2 °C", "4.0 or more", "Fernhollow Dormouse 20"),
        ("Winter", "down to -12 °C", "-12 °C", "5.5 or more", "Fernhollow Hearth 0"),
    ),
    col_widths=(26, 30, 34, 28, 52),
)

LAYERING = HandbookPage(
    heading="Layering and sleep systems",
    paragraphs=(
        "Teach customers three layers. The base layer moves sweat off the skin: merino or "
        "polyester, never cotton, which stays wet and cold. The mid layer traps warm air: a fleece "
        "such as the Trailworks Thermal Fleece, or a down hoody for cold, dry days. The shell "
        "keeps out wind and rain: look for taped seams, pit zips and a hood that turns with the "
        "head.",
        "A customer who runs cold should add a warmer mid layer rather than a thicker shell. "
        "Remind everyone to take a layer off before climbing, not after they start to sweat.",
        "A sleeping bag only works on a good mat: the ground steals more heat than the air. Match "
        "the bag's comfort rating, not its limit rating, to the coldest night expected, and pair "
        "it with the mat R-value in the table below.",
    ),
    tables=(SLEEP_TABLE,),
)

PACK_TABLE = Table(
    caption="Pack volume and base weight by trip length",
    header=("Trip length", "Pack volume", "Base weight target", "Suggested pack"),
    rows=(
        ("Day hike", "18 to 25 L", "3.5 kg", "Trailworks Daytripper 22"),
        ("One night", "30 to 45 L", "6.5 kg", "Scree Supply Scramble 30"),
        ("Weekend, 2 to 3 nights", "45 to 55 L", "8 kg", "Halvard Scarp 45"),
        ("Week, 4 to 7 nights", "60 to 70 L", "9.5 kg", "Halvard Longhaul 65"),
    ),
    col_widths=(48, 32, 40, 50),
)

PACK_FITTING = HandbookPage(
    heading="Choosing and fitting a pack",
    paragraphs=(
        "Start with the trip, not the pack. Base weight means everything carried except food, "
        "water and fuel; the targets below are for a three-season trip with a shared tent.",
        "Measure the torso from the bony bump at the base of the neck (C7) to the top of the hip "
        "bones. Load the fitting pack with 10 kg from the sandbag shelf, set the torso length, "
        "then tighten the hipbelt, shoulder straps, load lifters and sternum strap in that order. "
        "The hips should carry about 80% of the weight.",
        "A customer between two torso sizes should take the larger one when the pack is "
        "adjustable.",
    ),
    tables=(PACK_TABLE,),
)

WARRANTY_TABLE = Table(
    caption="Manufacturer warranties of the brands we carry",
    header=("Brand", "Warranty", "Notes"),
    rows=(
        ("Halvard Mountain Works", "Lifetime", "Original owner; pole section replaced for $25"),
        ("Fernhollow", "5 years, limited", "Zips 2 years; down refill $60"),
        ("Emberwick", "2 years, limited", "Igniters and batteries 1 year"),
        ("Lodestar Instruments", "3 years, limited", "Screen replacement $79"),
        ("Tarnstep", "1 year, limited", "Resole service $95 per pair"),
        ("Scree Supply Co.", "2 years, limited", "Claims go to Scree Supply directly"),
        ("C&C Trailworks", "1 year", "Swapped at the till, no paperwork"),
    ),
    col_widths=(50, 38, 82),
)

WARRANTY_CLAIMS = HandbookPage(
    heading="Warranty claims",
    paragraphs=(
        "A warranty claim is different from a return: returns follow our own time windows, "
        "warranties follow the maker's terms in the table below.",
        "Step 1: find the purchase in the till history or ask for the receipt. Step 2: photograph "
        "the fault next to the product label. Step 3: open a claim on the brand's dealer portal "
        "and write the claim number on an orange repair tag. Step 4: give the customer the tag "
        "stub and tell them a decision usually takes 10 business days. Step 5: when the brand "
        "approves the claim, call the customer; replacements are collected in the shop or "
        "shipped free.",
        "Never promise a replacement before the brand has decided. Damage from accidents is not "
        "a defect, but the repair bench can often fix it at cost.",
    ),
    tables=(WARRANTY_TABLE,),
)

SALES_REVIEW = HandbookPage(
    heading="Quarterly sales review",
    paragraphs=(
        "Every quarter the shop manager shares how many units each category sold, so that the "
        "floor team knows where to spend time on training and displays.",
        "The chart below shows the third-quarter results per category. The figures are printed "
        "on the bars; see the chart for the numbers.",
    ),
    with_chart=True,
)

PAGES: tuple[HandbookPage, ...] = (
    WELCOME,
    TILL_POLICIES,
    LAYERING,
    PACK_FITTING,
    WARRANTY_CLAIMS,
    SALES_REVIEW,
)
