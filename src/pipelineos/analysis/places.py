"""Place names the local analyzer recognises without a lookup service.

North Texas first (the first customers are there), then large US cities. A business's own
service areas and their aliases are matched in addition to these.
"""

from __future__ import annotations

import re

import ahocorasick  # type: ignore[import-not-found]

NORTH_TEXAS: tuple[str, ...] = (
    "Dallas", "Fort Worth", "Ft Worth", "Ft. Worth", "Arlington", "Plano", "Frisco", "McKinney",
    "Irving", "Garland", "Grand Prairie", "Mesquite", "Carrollton", "Denton", "Richardson",
    "Lewisville", "Allen", "Flower Mound", "Rowlett", "Euless", "Bedford", "Hurst", "Grapevine",
    "Coppell", "Southlake", "Keller", "Colleyville", "Mansfield", "Cedar Hill", "DeSoto",
    "Duncanville", "Lancaster", "Rockwall", "Wylie", "Sachse", "Murphy", "Prosper", "Celina",
    "Little Elm", "The Colony", "Addison", "Farmers Branch", "University Park", "Highland Park",
    "Forney", "Waxahachie", "Midlothian", "Burleson", "Weatherford", "Haltom City",
    "North Richland Hills", "Watauga", "Azle", "Benbrook", "Balch Springs", "Seagoville",
    "Oak Cliff", "Lakewood", "Uptown", "Deep Ellum", "Bishop Arts", "Lake Highlands",
    "Preston Hollow", "Oak Lawn", "Lower Greenville", "Knox Henderson", "M Streets",
    "Casa Linda", "Pleasant Grove", "Kessler Park", "Design District", "White Rock",
    "Far North Dallas", "North Dallas", "East Dallas", "West Dallas", "South Dallas",
    "Las Colinas", "Valley Ranch", "Vickery Meadow", "Lakewood Heights", "Bluffview",
    "Hollywood Heights", "Junius Heights", "Munger Place", "Swiss Avenue", "Cedars",
    "Trinity Groves", "Victory Park", "Wolf Creek", "Eagle Mountain", "Saginaw", "Crowley",
    "Aledo", "Argyle", "Highland Village", "Trophy Club", "Roanoke", "Anna", "Melissa",
    "Princeton", "Fate", "Royse City", "Heath", "Sunnyvale", "Red Oak", "Glenn Heights",
    "DFW", "Big D", "Metroplex", "North Texas", "Collin County", "Denton County",
    "Tarrant County", "Dallas County",
)

US_CITIES: tuple[str, ...] = (
    "Austin", "Houston", "San Antonio", "El Paso", "Denver", "Aurora", "Boulder", "Phoenix",
    "Scottsdale", "Mesa", "Tempe", "Tucson", "Atlanta", "Marietta", "Charlotte", "Raleigh",
    "Nashville", "Memphis", "Chicago", "Detroit", "Columbus", "Cleveland", "Indianapolis",
    "Kansas City", "St. Louis", "Oklahoma City", "Tulsa", "Albuquerque", "Las Vegas",
    "Salt Lake City", "Seattle", "Portland", "San Diego", "Los Angeles", "San Jose",
    "San Francisco", "Sacramento", "Miami", "Orlando", "Tampa", "Jacksonville", "Boston",
    "New York", "Brooklyn", "Philadelphia", "Pittsburgh", "Baltimore", "Washington",
    "Minneapolis", "Milwaukee", "New Orleans", "Baton Rouge", "Little Rock", "Birmingham",
    "Louisville", "Omaha", "Boise", "Spokane", "Round Rock", "Katy", "Sugar Land", "The Woodlands",
    "Pearland", "Cypress", "Spring", "Corpus Christi", "Lubbock", "Amarillo", "Waco", "Tyler",
    "Killeen", "College Station", "Lakewood CO", "Littleton", "Englewood", "Arvada", "Westminster",
    "Thornton", "Centennial", "Parker", "Castle Rock", "Highlands Ranch", "Chandler", "Gilbert",
    "Glendale", "Peoria", "Decatur", "Alpharetta", "Roswell", "Sandy Springs",
)

ZIP = re.compile(r"(?<![\d$#.\-()])\b\d{5}\b(?![\d\-.)]|,\d)")
_AFTER_PREPOSITION = re.compile(
    r"\b(?:in|near|around|by|at|off of|off|en|por|cerca de|[aá]rea de)\s+"
    r"((?:[A-Z][a-z]+|[A-Z]{2,3})(?:\s+[A-Z][a-z]+){0,2})"
)
_NOT_PLACES = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "The", "My", "Our", "Your", "Home", "Depot", "Home Depot", "Lowes",
    "Google", "Yelp", "Facebook", "Nextdoor", "I", "A", "An", "Christmas", "Thanksgiving", "AC",
    "HVAC", "ASAP", "PM", "AM", "DM", "TV", "USA", "LLC", "It", "This", "That", "Texas", "TX",
    # Spanish: months, days, holidays and words capitalised after "en" / "por".
    "Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre",
    "Octubre", "Noviembre", "Diciembre", "Lunes", "Martes", "Jueves", "Viernes", "Navidad",
    "Dios", "Favor", "La", "El", "Los", "Las", "Mi", "Su", "Un", "Una", "Inbox", "WhatsApp",
}


def _compile(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted({re.escape(n.lower()) for n in names}, key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(alternatives) + r")(?![\w])")


KNOWN_PLACES = _compile(NORTH_TEXAS + US_CITIES)


def _automaton(names: tuple[str, ...]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for name in {n.lower() for n in names}:
        automaton.add_word(name, len(name))
    automaton.make_automaton()
    return automaton


_KNOWN = _automaton(NORTH_TEXAS + US_CITIES)


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def known_place(lowered: str) -> str | None:
    """The first known place name in ``lowered`` (lower-case text), the longest where several
    start at one position: what ``KNOWN_PLACES.search`` finds, in one Aho-Corasick pass instead
    of trying 250 alternatives at every position."""
    best: tuple[int, int] | None = None  # (start, -length)
    size = len(lowered)
    for end, length in _KNOWN.iter(lowered):
        start = end - length + 1
        if (start > 0 and _word(lowered[start - 1])) or (end + 1 < size
                                                         and _word(lowered[end + 1])):
            continue
        if best is None or (start, -length) < best:
            best = (start, -length)
    return None if best is None else lowered[best[0]:best[0] - best[1]]


def capitalised_after_preposition(text: str) -> str | None:
    """A capitalised name after "in"/"near" ("leak in Sachse"), a guess for unknown towns."""
    for match in _AFTER_PREPOSITION.finditer(text):
        candidate = match.group(1)
        if candidate not in _NOT_PLACES and candidate.split()[0] not in _NOT_PLACES:
            return candidate
    return None
