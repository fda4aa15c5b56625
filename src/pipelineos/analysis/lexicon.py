"""Words and phrases the local analyzer looks for.

Every pattern is a regular-expression fragment matched against lower-cased text with word
boundaries added around it. Categories map to the service words people actually write
(including common misspellings and Spanish); signals are the phrasings that tell a request from
an advertisement, a recommendation, a review, a DIY question, a job offer or spam.
"""

from __future__ import annotations


# --- service categories -------------------------------------------------------------------------
# A strong term names the trade ("plumber"); a weak one names a thing that usually needs it
# ("toilet"). Two weak terms, or one strong, decide a category.
CATEGORY_TERMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "plumbing": (
        (r"plumb(?:er|ers|ing|ber)s?", r"plomer[oa]s?", r"fontaner[oa]", r"water heaters?",
         r"hot water heaters?", r"slab leaks?", r"sewer lines?", r"burst pipes?",
         r"pipes? (?:burst|busted|broke|leaking)", r"garbage disposal", r"tankless",
         r"drain cleaning", r"backed up (?:toilet|drain|sewer)s?", r"sewage", r"re-?pipe",
         r"main (?:water )?line", r"septic", r"no water(?: pressure)?", r"leak detection",
         r"wax ring"),
        (r"leak(?:s|ing|y)?", r"drains?", r"clog(?:s|ged)?", r"toilets?", r"faucets?", r"sinks?",
         r"pipes?", r"shower", r"tub", r"no hot water", r"water line", r"gas line", r"spigot",
         r"hose bib", r"sump pump", r"water softener", r"disposal", r"backflow"),
    ),
    "electrical": (
        (r"electrician?s?", r"electrical", r"electricista", r"electric(?:al)? panel",
         r"breaker (?:box|panel)", r"rewir(?:e|ing)", r"gfci", r"ev charger", r"sub ?panel",
         r"knob and tube", r"ceiling fans?", r"service mast", r"meter (?:base|box|is hanging)",
         r"oncor"),
        (r"outlets?", r"breakers?", r"wiring", r"light fixtures?", r"ceiling fans?", r"sparks?",
         r"sparking", r"flickering", r"switch(?:es)?", r"circuits?", r"generator", r"lights?",
         r"power (?:is )?out", r"no power", r"volt(?:age)?", r"recessed lights?", r"fixtures?"),
    ),
    "hvac": (
        (r"hvac", r"a/c", r"air condition(?:er|ers|ing)", r"aire acondicionado", r"furnace",
         r"t[eé]cnico de aire", r"se (?:nos )?fue el (?:ac|aire)",
         r"heat pump", r"mini[ -]?split", r"ac (?:unit|repair|guy|tech|company|service)",
         r"ac(?:'s)? (?:is |isn't |isnt |not |stopped |quit |went |blowing |broke|died|out)",
         r"(?:my|our|the) ac\b", r"ductwork", r"air ducts?", r"freon", r"refrigerant",
         r"condenser", r"no (?:heat|ac|a/c)\b", r"not cooling", r"blowing (?:hot|warm) air",
         r"minisplit", r"heating and (?:air|cooling)",
         r"(?:upstairs|downstairs|outside|outdoor|attic|ac|a/c|hvac) units?"),
        (r"thermostat", r"ducts?", r"compressor", r"heater", r"heating", r"cooling", r"ac",
         r"\d{2,3} ?(?:°|degrees)",
         r"air handler", r"evaporator coil", r"coils?", r"vents?"),
    ),
    "roofing": (
        (r"roof(?:er|ers|ing)?s?", r"shingles?", r"tarp(?:ing|ed)", r"gutters? (?:guys?|cleaning|"
         r"install\w*|repair|company|replacement|people)", r"techer[oa]s?", r"techo", r"re-?roof",
         r"hail damage", r"roof leak"),
        (r"gutters?", r"flashing", r"soffit", r"fascia", r"decking", r"hail", r"storm damage",
         r"attic leak", r"ceiling (?:leak|stain)s?", r"tarp"),
    ),
    "landscaping": (
        (r"landscap(?:e|er|ers|ing)", r"lawn (?:care|service|mowing|guy|company|maintenance|"
         r"treatment|fertiliz\w*|aeration)", r"pull(?:ing)? weeds", r"crabgrass",
         r"yard (?:work|guy|service|cleanup|clean-up)", r"mow(?:ing)?", r"jardiner[oa]",
         r"sprinkler (?:system|repair|head|guy)s?", r"irrigation", r"sod", r"xeriscap\w*",
         r"(?:corte|cortar|cortes) (?:el|la|mi) (?:pasto|zacate|yarda|grama)"),
        (r"lawn", r"yard", r"grass", r"sprinklers?", r"hedges?", r"weeds?", r"weeding", r"mulch",
         r"flower ?beds?", r"leaves", r"leaf removal", r"edging", r"shrubs?", r"bushes",
         r"yarda", r"pasto"),
    ),
    "tree_service": (
        (r"arborist", r"tree (?:service|removal|trimming|trimmer|guy|company|cutting|work)",
         r"(?:pine|oak|elm|pecan|cedar|tree|limb)s? (?:came down|fell|is down|down across|across "
         r"(?:our|the|my))", r"dead (?:\w+ )?(?:oak|pine|elm|pecan|tree)s?",
         r"trees? (?:fell|fallen|down|came down|on (?:my|our|the) (?:roof|house|car|fence))",
         r"stump (?:grinding|removal)", r"fallen tree", r"tree trimm\w+",
         r"trim(?:med|ming)? (?:\w+ ){0,3}(?:trees?|oaks?|pecans?|elms?|limbs?|branches)", r"(?:remove|cut down|take down) (?:a |my |our |the |some |two |"
         r"\w+ )?trees?"),
        (r"trees?", r"stumps?", r"limbs?", r"branch(?:es)?", r"oak", r"pecan", r"canopy",
         r"arbol(?:es)?"),
    ),
    "cleaning": (
        (r"(?:house|home|deep|move[ -]?out|move[ -]?in|apartment|office|post[ -]construction)"
         r" clean(?:ing|er|ers)?", r"maid(?:s| service)?", r"housekeep(?:er|ing)",
         r"cleaning (?:lady|service|company|crew|person)", r"carpet clean(?:ing|er|ers)?",
         r"window clean(?:ing|er|ers)?", r"limpieza", r"janitorial", r"cleaners?",
         r"limpi(?:ar|e|en) (?:la |mi |las )?casas?", r"cleaning de (?:casa|la casa)",
         r"(?:move[ -]?out|move[ -]?in|deep|house) clean",
         r"clean my (?:house|home|apartment|place)", r"dryer vent cleaning"),
        (r"cleaning", r"clean", r"scrub", r"dust(?:ing)?", r"mop(?:ping)?", r"vacuum(?:ing)?"),
    ),
    "pest_control": (
        (r"pest(?:s| control)?", r"exterminat(?:or|ors|e|ion)", r"termites?", r"roach(?:es)?",
         r"cockroach(?:es)?", r"bed ?bugs?", r"rodents?", r"fumigat\w+", r"cucarachas?",
         r"wasp nest", r"hornets?", r"scorpions?", r"rat problem", r"mice", r"infestation",
         r"mosquito (?:spraying|control|treatment|service|guy|company)", r"swarm",
         r"(?:bee|wasp|hornet) (?:swarm|nest|hive|removal)", r"wildlife (?:removal|control)",
         r"(?:rats?|mice|squirrels?|raccoons?|critters?) in (?:the|my|our) (?:attic|walls?|garage|"
         r"kitchen|ceiling|crawl ?space)", r"entry points", r"honey ?comb", r"comb in the wall",
         r"bees? (?:pouring|coming|swarming|in the wall|everywhere)",
         r"(?:snake|raccoon|squirrel|possum|opossum|bat|bird|rodent|animal)s? (?:removal|in (?:my|"
         r"our|the) (?:attic|garage|house|walls|chimney))"),
        (r"rats?", r"mouse", r"ants?", r"fire ants", r"wasps?", r"bees?", r"mosquito(?:e?s)?",
         r"nests?", r"hive",
         r"fleas?", r"ticks?", r"spiders?", r"raccoons?", r"squirrels?", r"possums?",
         r"critters?", r"bugs?", r"droppings", r"snakes?"),
    ),
    "handyman": (
        (r"handy ?m[ae]n", r"handyperson", r"honey[ -]do", r"odd jobs", r"mount (?:a |my |our "
         r"|the )?tv", r"tv mount(?:ing)?", r"furniture assembly", r"assemble (?:a |an |some |my "
         r")?\w*", r"drywall (?:repair|patch)", r"patch (?:a |some )?(?:hole|drywall)",
         r"small (?:repairs|jobs|fixes)", r"hang(?:ing)? (?:shelves|pictures|curtains|blinds|a "
         r"door|doors|mirrors?)", r"maestro de obras", r"grab bars?", r"handrails?",
         r"door frame", r"door won'?t (?:lock|latch|close)", r"kicked in", r"mount (?:\w+ ){0,2}tvs?",
         r"(?:christmas|holiday) lights?", r"(?:hang|put up|install) (?:\w+ ){0,2}lights"),
        (r"drywall", r"caulk(?:ing)?", r"shelves", r"blinds", r"doors?", r"baseboards?",
         r"trim", r"repairs", r"fix (?:a few|some) things", r"weather ?strip\w*", r"screen"),
    ),
    "painting": (
        (r"paint(?:er|ers|ing)", r"pintor(?:es)?", r"pintar", r"repaint(?:ing)?",
         r"(?:interior|exterior|cabinet) paint\w*", r"paint (?:my|our|the|a|two|\w+) \w*",
         r"(?:re)?painted"),
        (r"paint", r"stain(?:ing)?", r"primer", r"accent wall", r"popcorn ceiling",
         r"wallpaper"),
    ),
    "appliance_repair": (
        (r"appliance(?:s| repair)?", r"(?:washer|dryer|dishwasher|fridge|refrigerator|oven|"
         r"stove|freezer|ice maker|microwave|washing machine) (?:repair|guy|tech|is|isn't|isnt|"
         r"won't|wont|not|stopped|broke|quit|died|leaking|making)", r"lavadora", r"secadora",
         r"dishwashers?", r"washing machines?", r"refrigerators?", r"fridges?", r"ice makers?",
         r"(?:repair|repairs|fix|fixes|service|services)\w* (?:\w+ ){0,2}(?:washers?|dryers?|"
         r"ovens?|stoves?|fridges?|refrigerators?|dishwashers?|freezers?)",
         r"(?:washer|dryer|oven|stove|freezer)s? (?:takes|leaves|smells|won't|wont|keeps|"
         r"makes|stopped|is|isn't|throwing)", r"(?:whirlpool|maytag|frigidaire|kenmore|bosch|"
         r"samsung|lg|ge|electrolux|kitchenaid) (?:\w+ )?(?:washer|dryer|fridge|refrigerator|"
         r"dishwasher|oven|range|stove|freezer)"),
        (r"washer", r"dryer", r"dishwasher", r"fridge", r"refrigerator", r"ice maker", r"oven",
         r"stove", r"range", r"cooktop", r"freezer", r"microwave", r"washing machine",
         r"appliance"),
    ),
    "garage_door": (
        (r"garage doors?", r"garage (?:door )?opener", r"garage (?:door )?springs?",
         r"overhead door", r"liftmaster", r"genie (?:opener|garage)", r"chamberlain"),
        (r"garage", r"opener", r"torsion springs?"),
    ),
    "fencing": (
        (r"fenc(?:e|es|ing)", r"cercas?(?! de\b| del\b)",
         r"fence (?:company|guy|repair|install\w*|panels?|"
         r"posts?|pickets?)"),
        (r"gates?", r"pickets?", r"posts?", r"privacy"),
    ),
    "flooring": (
        (r"floor(?:ing|s)", r"hardwoods?", r"laminate", r"vinyl plank", r"lvp", r"pisos?",
         r"(?:patch|replace|install|repair|stretch|re-?stretch)\w*(?:/\w+)? (?:\w+ ){0,2}carpet",
         r"carpet (?:replaced|installed|install\w*|replacement)",
         r"(?:tile|carpet) (?:install\w*|installer|floor|floors|guy)", r"refinish(?:ing)? "
         r"(?:the |our |my )?(?:floors?|hardwoods?)", r"subfloor"),
        (r"tiles?", r"carpet", r"grout", r"planks?", r"floor"),
    ),
    "pool_service": (
        (r"pools? (?:service|cleaning|cleaner|guy|company|pump|filter|repair|tech|man|heater|"
         r"is|has|turned|went|needs|light|leak\w*|resurfac\w*|opening|closing)", r"hot tub",
         r"spa repair", r"alberca", r"piscina", r"green pool", r"(?:our|my) pool"),
        (r"chlorine", r"pool", r"spa"),
    ),
    "moving": (
        (r"movers?", r"moving (?:company|help|truck|service|crew|guys)", r"help(?:ing)? (?:me |"
         r"us )?(?:move|moving)", r"junk (?:removal|haul\w*)", r"haul(?:ing)? (?:away|off)",
         r"mudanza", r"piano mov\w+", r"load (?:a |the |my )?(?:truck|uhaul|u-haul|pod)",
         r"unload (?:a |the |my )?(?:truck|uhaul|u-haul|pod)", r"guys? with a truck",
         r"move (?:a |my |our |the |\w+ )?(?:piano|couch|sectional|furniture|sofa|dresser|"
         r"stuff|things|apartment|house|\d ?br|\w+ bedroom|studio)",
         r"guys? (?:\+|and|&) (?:a )?truck"),
        (r"moving", r"move", r"uhaul", r"u-haul", r"boxes", r"haul", r"couch", r"furniture"),
    ),
    "locksmith": (
        (r"locksmiths?", r"cerrajer[oa]", r"locked (?:myself )?out", r"lock ?out", r"re-?key(?:ed"
         r"|ing)?", r"lost (?:my|our|the) keys?", r"change (?:the |our |my )?locks"),
        (r"locks?", r"keys?", r"deadbolt", r"key fob"),
    ),
    "pressure_washing": (
        (r"pressure wash(?:ing|er|ed)?", r"power wash(?:ing|er|ed)?", r"soft wash(?:ing)?"),
        (r"wash (?:the |my |our )?(?:driveway|house|siding|patio|deck)", r"driveway cleaning",
         r"grime", r"mildew"),
    ),
    "remodeling": (
        (r"remodel(?:ing|ed|er)?", r"renovat(?:e|ion|ions|ing)", r"general contractor", r"gc",
         r"convert (?:our|my|the) (?:garage|attic|basement)", r"garage conversion",
         r"(?:kitchen|bathroom|bath) (?:redo|update|remodel|renovation)", r"remodelaci[oó]n",
         r"room addition", r"gut (?:the |our |my )?(?:kitchen|bathroom|bath)",
         r"finish(?:ed|ing)? (?:the |our |my |their )?basements?", r"basement (?:finish\w*|"
         r"remodel\w*|renovation)"),
        (r"backsplash", r"countertops?", r"cabinets?", r"vanity", r"kitchen", r"bathroom",
         r"contractor", r"shower (?:tile|pan)", r"addition"),
    ),
    "concrete": (
        (r"concrete", r"concreto", r"cement", r"foundation (?:repair|issues?|problems?|crack\w*|"
         r"company|guy|settling)", r"stamped", r"flatwork", r"pour(?:ed|ing)? (?:a |the )?(?:slab|"
         r"patio|driveway)",
         r"crack\w* (?:across|in|along|on) (?:the |our |my )?(?:driveway|sidewalk|slab|patio)",
         r"(?:tear out|replace|level|lift|pour|grind)\w* (?:\w+ ){0,3}(?:driveway|sidewalk|slab|"
         r"patio|panels?)", r"(?:sidewalk|driveway|slab|patio) (?:has )?(?:heaved|sunk|cracked|"
         r"lifted|settled)", r"mudjack\w*", r"foam jack\w*", r"slab jacking",
         r"(?:driveway|sidewalk|patio) slabs? (?:has |have )?(?:sunk|heaved|cracked|settled)"),
        (r"driveway", r"sidewalk", r"slab", r"patio", r"foundation", r"walkway", r"retaining wall"),
    ),
}

# Added for issue 17: Spanish trade words (Mexican Spanish as written in DFW groups: plomero,
# techero, zacate, yarda, cochera, alberca, troca), trades the first lexicon lacked (dryer vents,
# insulation, drainage, generators, window and gutter cleaning...), needs told by their symptom,
# and "other": local services outside the home trades. Merged into CATEGORY_TERMS below.
ADDED_TERMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "plumbing": (
        (r"plomer[ií]a", r"destap(?:ar|e|en|a) (?:el |la |los |mi )?(?:drenajes?|desag[uü]es?|"
         r"inodoro|ba[nñ]o|tubos?|tuber[ií]as?|fregadero|lavabo)", r"drenajes?(?! franc)",
         r"tuber[ií]as?",
         r"calentador(?:es)? de agua", r"fugas? de agua", r"well (?:pump|company|water)",
         r"water softeners?", r"sewer (?:smell|gas)",
         r"(?:toilet|tub|shower|sink|drain)s? (?:runs?|running|keeps? running|drains? slow\w*|"
         r"is slow|so slow|gurgl\w*|backs? up|backing up)", r"running toilet",
         r"(?:inodoro|ba[nñ]o|fregadero|lavabo|drenaje|regadera) (?:tapado|se tap[oó]|gotea|"
         r"se queda corriendo)"),
        (r"fugas?", r"tubos?", r"inodoro", r"fregadero", r"lavabo", r"regadera", r"tina",
         r"llave del agua", r"calentador", r"agua caliente", r"gurgl\w*", r"water bill",
         r"hissing", r"recibo del agua"),
    ),
    "electrical": (
        (r"el[eé]ctric[oa]s?", r"enchufes?", r"contactos? (?:el[eé]ctricos?|de la pared)",
         r"(?:standby |whole[- ](?:house|home) |home |portable )generators?", r"generac",
         r"generators? (?:install\w*|service\w*|repair|inlet|hookup|won'?t)",
         r"interlock(?: kit)?", r"transfer switch", r"generador(?:es)?",
         r"solar (?:panels?|company|compan(?:y|ies)|install\w*|system)", r"paneles solares",
         r"security cameras?", r"(?:video )?doorbell (?:camera|install\w*)", r"hardwired?",
         r"(?:outlets?|plugs?) (?:is |are )?(?:warm|hot|dead|not working|sparking|keeps? dying)",
         r"lights? (?:dim|flicker\w*)", r"flicker\w*", r"breakers? (?:keeps? )?trip\w*",
         r"(?:lost|losing) power", r"se (?:bota|bajan?) el breaker", r"cargador para carro"),
        (r"luces", r"breakers?", r"cables?", r"apag[oó]n", r"panel", r"reset button",
         r"goes dark", r"abanicos? de techo", r"parpadean?"),
    ),
    "hvac": (
        (r"aire acondicionado", r"calefacci[oó]n", r"(?:el |mi |nuestro )?aire (?:no |est[aá] |"
         r"sale |prendido|se (?:nos )?fue)", r"unidad de aire", r"t[eé]cnico de aire",
         r"minisplits?", r"(?:attic )?insulation", r"blown[- ]in", r"spray foam",
         r"aislamiento", r"attic fan", r"whole[- ]house fan", r"duct cleaning",
         r"(?:blowing|blows) (?:room temp|warm|hot)", r"drip pan", r"condensate",
         r"upstairs (?:is|stays|gets) (?:so )?hot", r"hotter than downstairs"),
        (r"aire", r"termostato", r"ventilas?", r"r-?\d\d", r"indoor unit",
         r"degrees hotter"),
    ),
    "roofing": (
        (r"techos? (?:nuevos?|de la casa|gotea|se (?:est[aá] )?goteando)", r"tejas",
         r"goteras?", r"granizo", r"granizada", r"compa[nñ][ií]a de techos"),
        (r"techo", r"lona", r"granules", r"chimney"),
    ),
    "landscaping": (
        (r"french drains?", r"drenaje franc[eé]s", r"(?:yard |lawn |side yard )?drainage",
         r"regrad\w*", r"grading", r"dry creek", r"landscape lighting", r"jardiner[ií]a",
         r"(?:cortar|corte|cortes) (?:de )?(?:el )?(?:zacate|pasto|c[eé]sped|grama)",
         r"aspersores", r"sistemas? de riego", r"pasto nuevo"),
        (r"zacate", r"c[eé]sped", r"grama", r"arbustos", r"riego", r"downspouts?", r"swamp",
         r"encharca\w*"),
    ),
    "tree_service": (
        (r"cort(?:ar|e|en|an) (?:los |unos |el |un )?[aá]rbol(?:es)?", r"pod(?:ar|en|e) (?:el |"
         r"los |un )?[aá]rbol(?:es)?", r"se cay[oó] (?:una rama|un [aá]rbol)", r"troncos?",
         r"moler troncos"),
        (r"ramas?", r"[aá]rbol", r"poden?", r"podar"),
    ),
    "cleaning": (
        (r"dryer vents?", r"window (?:washer|washing|cleaner)s?", r"gutter cleaning",
         r"clean(?:s|ed|ing)? (?:out )?(?:the |our |my )?gutters", r"gutters? cleaned",
         r"chimney (?:swept|sweep\w*)", r"limpi(?:ar|e|en|a) (?:la |mi |las |los )?(?:casas?|"
         r"ventanas|alfombras|sillones|canaletas|oficinas?)", r"limpieza profunda",
         r"(?:se[nñ]ora|muchacha|persona) (?:para|que) limpi\w*", r"move ?out clean\w*"),
        (r"limpiar", r"limpieza", r"canaletas", r"alfombras", r"lint", r"spotless", r"grease"),
    ),
    "pest_control": (
        (r"fumigador(?:es)?", r"fumig(?:ar|uen|ue|ar la casa)", r"plagas?", r"ratas?", r"ratones",
         r"termitas?", r"hormigas?", r"chinches", r"panal(?:es)?", r"alacranes?",
         r"(?:scratching|noises?|running) in the (?:ceiling|attic|walls?)",
         r"ants? (?:marching|everywhere|on the counter|in the kitchen)"),
        (r"abejas?", r"bichos", r"insectos", r"chewed"),
    ),
    "handyman": (
        (r"armar? (?:unos |los |mis )?muebles", r"arme muebles", r"colgar (?:una |la )?(?:tele|tv)",
         r"trabajitos", r"sliding (?:glass )?doors?", r"blinds? install\w*",
         r"install (?:\w+ ){0,2}blinds", r"handy person", r"marco de la puerta",
         r"doors? (?:stick|sticks|won'?t latch)"),
        (r"puertas?", r"drywall", r"rollers?", r"latch"),
    ),
    "painting": (
        (r"pintor(?:a|es)?", r"pint(?:ar|en|e) (?:la |el |los |mi |las )?(?:casa|cuartos?|"
         r"exterior|interior|gabinetes|paredes|cocina)", r"popcorn (?:ceiling|removal)",
         r"retextur\w*", r"peeling"),
        (r"pintura", r"gabinetes"),
    ),
    "appliance_repair": (
        (r"lavadora", r"secadora", r"refrigerador(?:es)?", r"refri\b", r"estufa", r"horno",
         r"lavaplatos", r"electrodom[eé]sticos"),
        (r"no enfr[ií]a", r"no calienta"),
    ),
    "garage_door": (
        (r"puerta (?:de la |del )?(?:cochera|garaje)", r"resortes? de la puerta",
         r"motor de la puerta", r"garage door (?:goes|reverses|won'?t|makes|shakes|stuck)"),
        (r"cochera", r"resortes?"),
    ),
    "fencing": (
        (r"cerquero", r"cerca (?:de madera|nueva|de metal)", r"bardas?"),
        (r"postes?",),
    ),
    "flooring": (
        (r"piso (?:laminado|de cer[aá]mica|de madera|vinyl)", r"instal(?:e|ar|en) pisos?",
         r"epoxy", r"cer[aá]mica", r"loseta", r"cupping"),
        (r"pisos?", r"alfombra"),
    ),
    "pool_service": (
        (r"albercas?", r"piscinas?", r"pool pump"),
        (r"bomba de la (?:alberca|piscina)", r"cloro"),
    ),
    "moving": (
        (r"mudanzas?", r"mudar(?:me|nos)?", r"(?:troca|camioneta) y ayudantes",
         r"lleve (?:la )?basura", r"muebles viejos"),
        (r"cajas", r"troca", r"muebles", r"colch[oó]n"),
    ),
    "locksmith": (
        (r"cerrajer[oa]s?", r"me qued[eé] afuera", r"cambi(?:ar|en) (?:las |todas las )?chapas",
         r"rekey\w*", r"key (?:snapped|broke)", r"deadbolt (?:is )?(?:spinning|stuck|won'?t)"),
        (r"chapas?", r"llaves?", r"deadbolt"),
    ),
    "pressure_washing": (
        (r"m[aá]quina de presi[oó]n",
         r"lav(?:ar|en|e|ado) (?:con |a )?(?:m[aá]quina de )?presi[oó]n",
         r"power wash", r"lav(?:ar|en|e) la casa por fuera"),
        (r"banqueta",),
    ),
    "remodeling": (
        (r"remodel(?:ar|aci[oó]n|aciones)", r"contratista", r"siding",
         r"(?:window|windows) replace\w*", r"replace (?:\w+ ){0,3}windows", r"water damage",
         r"pergola", r"covered patio", r"patio cover",
         r"sunroom", r"convertir la cochera"),
        (r"hollow", r"soft spot", r"ba[nñ]o completo"),
    ),
    "concrete": (
        (r"brick (?:repair|work|mason\w*)", r"mason(?:ry)?", r"mortar", r"tuckpoint\w*",
         r"echar (?:un |el )?(?:patio|concreto|piso)", r"entrada del carro"),
        (r"brick", r"banqueta", r"rajad[ao]", r"hundid[ao]"),
    ),
    "other": (
        (r"mechanics?", r"mobile mechanic", r"auto (?:repair|shop|body|glass|detailing)",
         r"car (?:detail\w*|lockout|repair)", r"mobile detailing", r"detailers?", r"tow(?:ing)?"
         r" (?:truck|company|service)", r"windshield", r"oil change", r"tire shop",
         r"baby ?sitt(?:er|ers|ing)", r"nann(?:y|ies)",
         r"(?:house|pet|dog|cat) ?sitt(?:er|ers|ing)",
         r"dog walk(?:er|ers|ing)", r"groom(?:er|ers|ing)", r"tutor(?:s|ing)?",
         r"(?:piano|guitar|music|voice|spanish|english|math|reading|swim(?:ming)?) "
         r"(?:teacher|tutor|lessons?|instructor)s?", r"private lessons", r"photograph(?:er|ers|y)",
         r"(?:family|newborn|senior|engagement|mini) (?:photos|pics|session)s?",
         r"videograph(?:er|ers|y)", r"\bdjs?\b", r"cater(?:er|ers|ing)", r"bakers?",
         r"(?:birthday|wedding|baby shower) cakes?", r"hair ?stylists?", r"hairdressers?",
         r"barbers?", r"makeup artists?", r"hair and makeup", r"nail techs?", r"estheticians?",
         r"massage therapists?", r"personal trainers?", r"attorneys?", r"lawyers?",
         r"notar(?:y|ies)", r"\bcpas?\b", r"accountants?", r"bookkeep(?:er|ers|ing)",
         r"tax (?:preparer|prep|person|guy|lady|return)s?", r"realtors?", r"real estate agents?",
         r"insurance agents?", r"mortgage (?:broker|lender)s?", r"property manag(?:er|ement)",
         r"home inspectors?", r"appraisers?", r"therapists?", r"counselors?", r"dentists?",
         r"pediatricians?", r"orthodontists?", r"chiropractors?", r"\bvets?\b",
         r"veterinarians?", r"day ?cares?", r"caregivers?", r"(?:senior|elder|home health) care",
         r"computer (?:repair|guy|tech|person)", r"laptop repair", r"(?:phone|iphone|screen) "
         r"repairs?", r"fix my (?:iphone|phone|laptop|computer)", r"it (?:guy|support)",
         r"web (?:designer|developer)s?", r"graphic designers?", r"seamstress(?:es)?",
         r"tailors?", r"alterations", r"reupholster\w*", r"upholster(?:er|y)",
         r"translators?", r"interpreters?", r"officiants?", r"(?:wedding|event|party) planners?",
         r"party rentals?", r"bounce house", r"florists?", r"farriers?",
         r"bike (?:repair|shop|mechanic)", r"driving (?:school|instructor|lessons)",
         r"professional organizer", r"speech therapists?", r"(?:ride|rides) to (?:the )?airport",
         r"mec[aá]nic[oa]s?", r"ni[nñ]eras?", r"cuid(?:e|ar|a) (?:a )?(?:mis )?ni[nñ]os",
         r"fot[oó]graf[oa]s?", r"abogad[oa]s?", r"notari[oa]s?", r"costurera", r"sastre",
         r"pasteles?", r"estilista", r"cort(?:e|ar|a|en) (?:el |de )?pelo", r"clases de \w+",
         r"maestr[oa] de (?:ingl[eé]s|piano|guitarra|m[uú]sica|matem[aá]ticas)",
         r"contador(?:a)?", r"prepare impuestos", r"veterinari[oa]", r"dentista",
         r"traductor(?:a)?", r"int[eé]rprete", r"mariachis?"),
        (r"check engine", r"transmission", r"brake pads", r"brakes", r"algebra", r"homework",
         r"quincea[nñ]era", r"quince a[nñ]os", r"wedding", r"boda", r"birthday party",
         r"cumplea[nñ]os", r"divorce", r"custody", r"taxes", r"impuestos", r"carro"),
    ),
}
# Added after blind3's first look (docs/analyzer.md): needs told by symptom that name no trade
# (a foundation by its cracks, a pest by its noises, a gas line by its smell), and the category
# conventions of blind3's README where the lexicon disagreed (mold clean-up is cleaning,
# "calentador" is a water heater, gutter installs are roofing).
ADDED_AFTER_BLIND3: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "plumbing": (
        (r"gas lines?", r"l[ií]nea (?:de(?:l)? gas)", r"repair the (?:gas )?line",
         r"s[eé]ptic[oa]", r"se (?:le )?revent[oó] (?:el|un|la) (?:calentador|tubo|tuber[ií]a)",
         r"washer hose", r"(?:washer|washing machine) (?:hose|valve|drain)"),
        (r"(?:bathroom|shower|toilet|tub) (?:is )?(?:right )?above", r"upstairs bathroom",
         r"regres[oó] el agua", r"atmos"),
    ),
    "electrical": (
        (r"(?:las )?luces se (?:bajan|apagan)", r"se bajan las luces"),
        (),
    ),
    "roofing": (
        (r"install(?:ed|ing)? (?:\w+ ){0,2}gutters", r"gutter (?:guards?|install\w*|repair)",
         r"gutters? (?:on|for) (?:our|the|my) (?:new )?(?:build|house|home)"),
        (r"after (?:every|each|the|a) (?:big )?rain", r"when it rains"),
    ),
    "cleaning": (
        (r"mold (?:testing|test|tested|clean[- ]?up|removal|remediation|inspection|company)",
         r"(?:test|clean) (?:\w+ ){0,3}mold", r"clean(?:s|ing)? (?:the |our )?solar panels",
         r"solar panel cleaning", r"streaks", r"hard water spots"),
        (r"mold", r"moho", r"black spots", r"flap"),
    ),
    "pest_control": (
        (r"something (?:is )?living in (?:our|the|my) (?:attic|walls?|ceiling|crawl ?space)",
         r"bait stations?"),
        (r"scratching", r"ants\b"),
    ),
    "handyman": (
        (r"barras (?:en el ba[nñ]o|de seguridad|para agarrarse)", r"rampa"),
        (),
    ),
    "flooring": (
        (r"laminado",),
        (),
    ),
    "garage_door": (
        (r"puerta (?:de la |del )?garage",),
        (),
    ),
    "moving": (
        (r"haul(?:ed|ing)? (?:away|off)",),
        (),
    ),
    "concrete": (
        (r"cimientos", r"brick steps", r"steps? (?:are |is )?separating",
         r"(?:stair[- ]step|diagonal\w*) cracks?", r"crack (?:\w+ ){0,2}diagonally"),
        (r"doors? (?:upstairs |downstairs )?(?:don'?t|won'?t|do not|no longer) (?:close|latch)",
         r"puertas ya no cierran", r"se est[aá] hundiendo"),
    ),
    "other": (
        (r"event rentals?", r"rental company", r"boat (?:lifts?|docks?)", r"dock repair",
         r"(?:iphone|phone|ipad|laptop|computer|tablet) (?:\d+ )?screen"),
        (r"tables", r"linens", r"tent"),
    ),
}
# Added after blind4's first look: "cercas de madera" (plural), a washer told by its noises.
ADDED_AFTER_BLIND4: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fencing": ((r"cercas? (?:de madera|nuevas?|de metal|de alambre|de fierro)",), ()),
    "appliance_repair": (
        (r"(?:washer|dryer|dishwasher|washing machine|front[- ]loader|top[- ]loader)s? (?:bangs|"
         r"walks|shakes|vibrates|squeals|won'?t spin)", r"front[- ]loader", r"top[- ]loader"),
        (),
    ),
}
for _name, (_strong, _weak) in ADDED_TERMS.items():
    _old_strong, _old_weak = CATEGORY_TERMS.get(_name, ((), ()))
    CATEGORY_TERMS[_name] = (_old_strong + _strong, _old_weak + _weak)
for _name, (_strong, _weak) in ADDED_AFTER_BLIND3.items():
    _old_strong, _old_weak = CATEGORY_TERMS[_name]
    CATEGORY_TERMS[_name] = (_old_strong + _strong, _old_weak + _weak)
for _name, (_strong, _weak) in ADDED_AFTER_BLIND4.items():
    _old_strong, _old_weak = CATEGORY_TERMS[_name]
    CATEGORY_TERMS[_name] = (_old_strong + _strong, _old_weak + _weak)

# --- intent signals -----------------------------------------------------------------------------
# Trades and providers people ask for by name ("need an electrician", "locksmith that can...").
TRADE = (
    r"(?:plumbers?|electricians?|roofers?|painters?|handy ?m[ae]n|cleaners?|maids?|"
    r"exterminators?|locksmiths?|movers?|arborists?|landscapers?|contractors?|techs?|"
    r"technicians?|installers?|guys?|gals?|compan(?:y|ies)|person|people|folks|pros?|"
    r"services?|crews?|someone|somebody|anyone|one|repairm[ae]n|"
    # Local providers outside the home trades (category "other").
    r"mechanics?|tutors?|photographers?|videographers?|babysitters?|nann(?:y|ies)|groomers?|"
    r"dog walkers?|(?:pet |house |dog )?sitters?|djs?|caterers?|bakers?|notar(?:y|ies)|"
    r"attorneys?|lawyers?|realtors?|cpas?|accountants?|bookkeepers?|seamstress(?:es)?|"
    r"tailors?|detailers?|caregivers?|(?:personal )?trainers?|hair ?stylists?|stylists?|"
    r"hairdressers?|barbers?|"
    r"instructors?|teachers?|"
    r"(?:tree|lawn|yard|pool|pest|hvac|ac|a/c|tile|fence|concrete|garage door|appliance|"
    r"roof|floor(?:ing)?|paint|cleaning|moving|junk|gutter|drywall|window|carpet|foundation)"
    r" (?:guys?|people|folks|compan(?:y|ies)|services?|pros?|techs?|person|crews?|installers?|"
    r"specialists?|repairs?|removal|cleaning|spraying|detection|replacement))"
)

# Weighted phrasings. Positive weights argue "this person wants to hire someone".
REQUEST: tuple[tuple[str, float], ...] = (
    (r"(?<!do )(?<!would )(?<!if )(?:i|we|i'm|we're|im|we are|i am)\s+(?:really |desperately |"
     r"urgently |still |also |just |definitely )?(?:need(?! to\b)|needs(?! to\b)|needing|"
     r"looking for|in need of|searching for|trying to find|want (?:to hire|someone|a pro))",
     2.5),
    (r"(?:^|(?<=[.!?\n] )|(?<=[.!?\n]))(?:need|needing|looking for|seeking|searching for|"
     r"in need of|wanted|help)(?! your\b)(?! to\b)", 2.0),
    (r"(?<!you )(?<!ever )need (?:a|an|some|someone|somebody|help|recs?|recommendations?|"
     r"suggestions?|a good|"
     r"a reliable|a reputable|quotes?|estimates?)\b", 1.5),
    (r"(?<!you )(?<!ever )(?<!anyone )(?:need|needs|needing|want|wanting)\s+(?!to\b)"
     r"(?:\w+[\s/]+){0,3}?" + TRADE, 2.0),
    (r"need to (?:find|hire|get|call|book) (?:a|an|someone|somebody)", 2.0),
    (TRADE + r" (?:needed|wanted|required)", 2.5),
    (r"looking for (?:someone|somebody|a |an |recs|help|recommendations|a good)", 1.5),
    (r"\biso\b|\[request\]|\[req\]|\[iso\]", 2.0),
    (TRADE + r"\s*(?:please|pls|plz|asap|\?)", 2.0),
    (TRADE + r" (?:\w+ )?(?:in|near|around|for) [\w .,'/-]{2,30}\?", 1.5),
    (r"(?:need|needs) (?:\w+ ){0,6}?(?:pressure washed|power washed|washed|"
     r"pressure washing|power washing|painting|painted|cleaning|"
     r"cleaned|repair|repairs|repaired|replaced|replacing|installed|install|trimmed|trimming|"
     r"removed|removal|mowed|mowing|hung|serviced|service|fixed|fixing|redone|treated|"
     r"treatment|inspection|inspected|looked at|haul(?:ed|ing)? (?:off|away))", 2.0),
    (r"(?<!no longer )(?<!not )(?<!isn't )(?<!experience )(?<!')(?<!no more recs )(?<!appointment )(?<!reservation )needed", 1.5),
    (r"who (?:installed|did|replaced|fixed|built|painted|poured|cleaned|treated|redid) "
     r"(?:yours|your \w+)|who does (?:\w+ ){0,3}\w+ing\b", 2.5),
    (r"(?<!not )paying (?:\$\d+\S* )?(?:for )?(?:someone|somebody)|(?:please )?have (?:the "
     r"owner|someone|them|him|her) (?:call|contact|text)|(?:list|job|jobs|work|project) for (?:a|an) "
     r"(?:\w+ )?" + TRADE + r"|homeowner,? not a company|"
     r"send (?:them|him|her|someone|people) my way|(?:rather|prefer to) (?:have|hire|get|pay) "
     r"(?:a|an|someone|somebody)|(?:should|might|may|going to|gonna) (?:just )?hire", 2.0),
    (r"who (?:removes|handles|services|repairs|installs|fixes|cleans|trims|hauls|paints|mows|"
     r"pours|treats|sprays|works on|deals with|does (?:\w+ )?(?:calls|jobs|work|repairs))", 2.0),
    (r"who(?:'s| is) (?:y'all's|yalls|your|everyone's|ur|the group's) (?:go[- ]?to|favorite|"
     r"guy|person)|go[- ]?to " + TRADE, 2.0),
    (r"anyone (?:in|around|near|over in|out in) [\w ]{1,25}? (?:do|does|doing|that|who|offer)",
     2.0),
    (r"(?:i'd|i would|we'd|we would) (?:like|love) (?:it|them|this|to have|to get|someone|a quote|"
     r"quotes)|(?:preferred|prefer someone|prefer a)\b", 1.5),
    (r"(?:i'll|i will|we'll|we will|happy to) pay", 2.0),
    (r"want (?:it|them|this|one) (?:done|finished|fixed|painted|replaced|installed|swapped|up|"
     r"out|gone|removed|trimmed|cleaned)", 2.0),
    (r"send me (?:your|their|his|her) (?:\w+ )?(?:info|number|names?|recs?|contact)", 1.5),
    (r"in search of", 2.0),
    (r"(?:can|could|does|do|would) (?:anyone|anybody|someone|somebody|y'all|yall|you guys|"
     r"any of you|you all|neighbors)\b[^.?!]{0,40}\b(?:recommend|suggest|refer|help me|"
     r"come (?:out|over|by|today|look)|fix|repair|know (?:a|an|of|any|someone|somebody|"
     r"who|a good|where i can))", 2.5),
    (r"any(?:one|body) (?:know (?:a|an|of|any|someone|somebody|who|a good|where i can)|"
     r"have (?:a|an|any|someone|recs?)|has (?:a|an|any|someone)|got (?:a|an|someone)|"
     r"recommend|used|use|able|available|free|around|nearby|out there|do|does|doing|offer|"
     r"who (?:can|could|does|will|is))", 2.0),
    (r"any (?:\w+[\s/]+){0,3}?" + TRADE + r" (?:available|open|that|who|around|near|nearby|"
     r"in|out there|on)\b", 2.0),
    (r"(?:is|are) (?:there )?(?:any|a|an) (?:\w+[\s/]+){0,3}?" + TRADE + r" (?:open|available|"
     r"around|in|near|who|that)", 2.0),
    (TRADE + r" (?:(?:in|near|around) [\w ]{1,20} )?(?:that|who) (?:can|could|will|is able|"
     r"works|does|do)", 1.5),
    (r"is there (?:a|an|any|anyone|someone|somebody)\b(?! way\b)", 1.5),
    (r"any (?:\w+ ){0,2}(?:that|who) (?:does|do|can|will|works|is open|are open)", 2.0),
    (r"any(?:one|body)? (?:recs?|recommendations?|suggestions?|referrals?)", 2.5),
    (r"(?<!the )(?<!this )(?<!your )(?:recs?|rec+om+endations?|suggestions?|referrals?)\s*(?:\?|"
     r"for|on|please|pls|needed|around|near|by|"
     r"wanted|appreciated|in|near|welcome)", 2.5),
    (r"who (?:do|did|does|would|are) (?:you|y'all|yall|everyone|people|u|you guys|you all|"
     r"folks) (?:use|using|recommend|call|suggest|like|trust|go with|go to)", 2.5),
    (r"who(?:'s| is) (?:everyone|everybody|every1|y'all|yall|people) (?:using|use|calling|"
     r"going with)", 2.5),
    (r"who(?:'s| is) (?:a )?(?:good|reliable|the best|reasonable|honest|trustworthy|great|cheap|"
     r"affordable|available|legit|decent)", 2.0),
    (r"who (?:can|could|will|would) (?:fix|come|help|repair|install|replace|do|get|clean|take|"
     r"haul|remove|mow|paint|look|check|service|tear|pour|trim)", 2.0),
    (r"who (?:installs|repairs|fixes|cleans|services|does (?:this|these|that|it)|do (?:i|we) "
     r"call|should (?:i|we) (?:call|use|hire)|(?:would|do) (?:i|we) call|to call|did yours)",
     2.5),
    (r"(?:looking|want|wanting|hoping|trying) to (?:hire|get|have|find)", 2.0),
    (r"(?:get|need|want|getting|love|like) (?:a |an |some |another |2 |two |3 |three |multiple "
     r")?(?:(?:2nd|second|3rd|third|other|another|more) )?(?:or \w+ )?(?:quotes?|estimates?|"
     r"bids?|opinions?)", 1.5),
    (r"(?:pay|hire|call|get) someone", 2.0),
    (r"(?:can|could) someone (?:come|help|fix|look)", 2.0),
    (r"need (?:it|this|them|one) (?:done|fixed|replaced|installed|removed|cleaned|repaired)", 1.5),
    (r"needs? to be (?:fixed|replaced|repaired|cleaned|removed|installed|serviced|done|looked at|"
     r"mowed|painted|trimmed)", 1.5),
    (r"(?:please|pls|plz) (?:help|dm|pm|message|call|text|contact|send)", 1.0),
    (r"(?:dm|pm|message|inbox|text|call) me (?:if|with|please|pls|your|info|asap)", 1.0),
    (r"(?:lmk|let me know|send (?:me )?(?:info|names|numbers|recs?))", 0.8),
    (r"\btia\b|thanks in advance|thank you in advance", 0.8),
    (r"(?:^|(?<=[.!?\n] )|(?<=[.!?\n]))help[!?]", 1.0),
    (r"willing to pay|will pay|can pay|pago bien|budget (?:is|of)", 1.0),
    (r"available (?:today|tonight|tomorrow|this week|this weekend|asap|now)\?", 1.5),
    (r"necesito|busco|alguien (?:conoce|sabe de|recomienda|que)|recomienden|ocupo|"
     r"me (?:pueden )?recomendar", 2.5),
    (r"(?:my|our) [\w/' ]{0,30}(?:is|are|isn't|isnt|won't|wont|stopped|quit|broke|died|"
     r"leaking|keeps?|started|has|just|went out|not)\b", 0.5),
    # Spanish, and the shapes of symptom-only posts ("who do we call for this?").
    (r"necesit(?:amos|o que)|busc(?:amos|ando) (?:a )?(?:alguien|un|una)|ando buscando|"
     r"se necesita (?:un|una|alguien)|urge (?:un|una|alguien)|qui[eé]n (?:me )?(?:arregla|hace|"
     r"limpia|instala|corta|destapa|repara|pinta|pone|quita|saca|lava|cambia|recomienda|conoce|"
     r"sabe|tiene|da|ofrece|corta)|alguien (?:disponible|con|de confianza)|me recomiendan|"
     r"recomi[eé]ndenme|recomienden a|recomendaciones (?:de|para|por favor)", 2.5),
    (r"(?:cotizaci[oó]n|cotizaciones|presupuestos?|precios?) (?:para|de)\b", 1.5),
    (r"(?:anyone|somebody|someone|who(?:'s| is)?) (?:in [\w ]{1,20} )?good (?:with|at)|"
     r"(?:would|i'd) (?:love|like) (?:somebody|someone|a pro|a professional)|"
     r"who (?:should|do|would|can) (?:we|i) (?:call|have look|get)|who fixes these|"
     r"who (?:would|could) (?:redo|fix|do|handle|take)|is (?:anyone|anybody) able", 2.0),
    # After blind3's first look: "where can I get X fixed", "we need one too" under a reply.
    (r"where (?:can|do|could|should) (?:i|we) (?:get|take|find) (?:\w+ ){0,5}?(?:fixed|repaired|"
     r"replaced|done|cleaned|serviced|installed|looked at)|(?:we|i) need (?:one|this|that|the same)"
     r" too|following[!.]* (?:we|i)|yo tambi[eé]n (?:ocupo|necesito|busco)", 2.0),
)

# An opening that pitches to the reader: "Need a plumber? ...", "Tired of ...?".
PITCH = (r"^(?:need|needs|looking for|tired of|is your|does your|want|wanting|got|dealing with|"
         r"having|do you need|are you|ready for|time for|thinking about)[^?\n]{0,80}\?+")

AD: tuple[tuple[str, float], ...] = (
    (r"we (?:just started|offer|provide|specialize|install|repair|service|do|handle|fix|clean|"
     r"build|pour|"
     r"paint|mow|haul|remove|trim|also|still have|currently have|have (?:openings|availability|"
     r"a few|spots|a crew|crews|\w+ left ?over|\d+ (?:openings|spots))|'re (?:a|your|now|"
     r"offering|licensed|booking)|are (?:a|an|now|offering|licensed|booking|family|locally)|"
     r"can help|come to you|serve)", 2.0),
    (r"our (?:team|company|crew|services?|technicians|techs|prices|rates|business|work|"
     r"professional|experienced|licensed|certified|family)", 2.0),
    (r"licensed (?:and|&|\+) insured|fully insured|bonded|insured (?:and|&) licensed", 1.0),
    (r"free (?:estimates?|quotes?|inspections?|consultations?|service call)", 2.0),
    (r"call (?:or|/|&) text|text (?:or|/) call|call us|text us|call (?:today|now)|"
     r"give (?:us|me) a call|contact us|message us|reach out to us|inbox us", 2.0),
    (r"book (?:now|today|your|online|an appointment)|now booking|now scheduling|"
     r"schedule (?:your|today)|booking (?:now|up)|spots? (?:left|available|open)", 2.0),
    (r"(?:dm|pm|message|inbox) (?:me |us )?(?:for|to (?:book|schedule|get))(?: a| your)? "
     r"(?:quote|estimate|pricing|prices|details|booking|appointment)", 2.0),
    (r"serving (?:all of |the |all )?(?:dfw|dallas|metroplex|area|north texas|\w+ (?:and|&) "
     r"surrounding)|and surrounding (?:areas|cities)|servicing", 1.5),
    (r"\d+\+? years? (?:of )?experience|years in business|since (?:19|20)\d\d", 1.5),
    (r"family[ -]owned|veteran[ -]owned|locally owned|woman[ -]owned|owner[ -]operated", 2.0),
    (r"satisfaction guaranteed|no job (?:is )?too (?:big|small)|quality work|"
     r"affordable (?:rates|prices)|reasonable (?:rates|prices)|competitive (?:rates|prices)|"
     r"best (?:rates|prices)|fair prices", 1.5),
    (r"\d+ ?% off|\$\d+ off|specials?\b|discount(?:ed)?|promo|coupon|deal of", 1.2),
    (r"(?:from|starting at|as low as|only) \$\d|\$\d+(?:\.\d+)? ?/ ?(?:sq ?ft|sqft|square|visit|"
     r"cut|month|mo)\b", 1.5),
    (r"look no further|we(?:'ve| have) got you covered|you(?:'re| are) in luck|"
     r"we(?:'re| are) here (?:to help|for you)|let us\b|call the pros", 2.5),
    (r"www\.|https?://|\.com\b|\.net\b|@gmail|@yahoo|\bemail us\b", 1.0),
    (r"(?:i|we)(?:'m| am|'re| are) (?:a |an )?(?:licensed |certified |local |experienced |"
     r"professional |master |independent )*(?:plumber|electrician|roofer|painter|handyman|"
     r"landscaper|cleaner|exterminator|contractor|locksmith|mover|arborist|technician|tech|"
     r"company|business|small business|(?:\w+ )(?:tech|technician|contractor|installer))", 2.5),
    (r"(?:i|we) (?:do|offer|provide|clean|mow|paint|install|repair|fix) (?:\w+ ){0,3}"
     r"(?:services?|work|jobs|repairs|installs?|installations|houses|homes|yards|lawns)\b", 2.0),
    (r"accepting new (?:clients|customers)|taking new (?:clients|customers)|"
     r"(?:openings|availability) (?:this|next|on|for) (?:week|month|tuesdays?|mondays?|"
     r"wednesdays?|thursdays?|fridays?|saturdays?|weekends?)|(?:have|got) (?:\d+ |some |a few |"
     r"two |three )?(?:openings|spots open)", 2.0),
    (r"looking for (?:homeowners|customers|clients|new clients|houses|homes)|first \d+ "
     r"(?:people|customers|callers|clients)|who (?:message|call|book)s? (?:me|us|first)", 3.0),
    (r"se habla espa[nñ]ol|hablamos espa[nñ]ol", 1.0),
    (r"#\w+", 0.5),
    (r"\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b", 0.8),
    (PITCH + r"[^\w]{0,8}(?:we|our|call|text|look|contact|dm|give|let|book|i have|i'm|i am|"
     r"i do|i offer|(?:\w+ )?(?:is|are) here|family[ -]owned|veteran[ -]owned|locally owned|"
     r"licensed|no trip|free (?:estimates?|quotes?)|same[- ]day)", 3.0),
    (PITCH, 1.5),
    (r"toot my own horn|shameless (?:plug|self)|self[- ]promo|if (?:anyone|anybody)(?:'s| is)? "
     r"(?:looking for|needs?|in need of)|let me know if you(?:'re| are)? (?:want|need|interested)|"
     r"first (?:one|visit|treatment|cut|service) (?:is )?free|\bserving\b|\d+ ?(?:yrs|years) "
     r"(?:local|in business|exp\b|experience)|free (?:\w+ )?consult\w*", 2.5),
    (r"^(?:need|want) your\b|earn your business|(?:message|call|text) me anytime", 3.0),
    (r"^(?:does )?(?:anyone|anybody|who) needs? (?:a|an|some|their|your)\b", 4.0),
    (r"\?[^\w]{0,8}(?:we (?:offer|are|have|do|can|'re|provide|still)|call us|text us|"
     r"look no further|contact us|let us)\b", 1.5),
    (r"(?:customer|client)s? (?:say|love)|reviews? on (?:google|yelp)|5[ -]star (?:rated|service)",
     1.5),
    (r"(?:all|most) (?:major )?(?:brands|makes)|same[ -]day service|24/7|emergency service "
     r"available|available 24", 1.5),
    (r"\bllc\b|\binc\.?\b|\bco\.\b", 1.0),
    (r"ask (?:us )?about our|(?:commercial|residential) (?:&|and) (?:residential|commercial)", 2.0),
    (r"ofrecemos|ofrezco|hacemos (?:trabajos|todo tipo|instalaciones)|ll[aá]m(?:enos|anos)|"
     r"llame (?:al|hoy|ya|o mande)|presupuestos? (?:gratis|sin costo|sin compromiso)|"
     r"estimados? (?:gratis|sin costo)|cotizaciones? (?:gratis|sin costo)|precios (?:econ[oó]micos|"
     r"accesibles|justos|especiales|bajos)|a[nñ]os de experiencia|trabajo (?:garantizado|"
     r"limpio)|garant[ií]a de|servicio (?:el mismo d[ií]a|24|a domicilio|de \w+ en todo)|"
     r"mande (?:mensaje|texto)|inbox para precios|tenemos (?:seguro|troca|d[ií]as disponibles|"
     r"t[eé]cnicos)|me dedico a|trabajamos con su aseguranza|pregunte por|(?:destapamos|"
     r"instalamos|reparamos|pintamos|fumigamos|cortamos|podamos|limpiamos|abrimos|"
     r"arreglamos)\b|llegamos en \d+", 2.0),
    # Providers answering a request or offering themselves (after blind3's first look).
    (r"(?:i|we) do (?:these|this|that|them) all the time|we can be there|(?:i|we) can come "
     r"(?:today|tomorrow|out)|(?:my|her) (?:husband|son|brother(?:-in-law)?|dad) does\b(?! not)|"
     r"(?:i'll|i will) (?:dm|message|send) you (?:his|her|their|my)|(?:just )?sent you a (?:dm|"
     r"friend request|message|pm)|we'd love to help|happy to give you a quote|"
     r"i own (?:\w+ ){0,4}(?:company|business|llc|services?|solutions)|mention this post|"
     r"busco trabajo|looking for (?:work|more work|new clients)(?! (?:done|on|to be))", 2.0),
)

RECOMMENDATION_GIVEN: tuple[tuple[str, float], ...] = (
    (r"(?<!anyone )(?<!anybody )(?<!can you )(?:i|we)(?:'d| would)? (?:highly |strongly |"
     r"definitely |totally |100% |always )?recommend (?!(?:me|us)\b)", 2.0),
    (r"highly recommend|strongly recommend|can(?:'t|not|t) recommend [^.!?]{0,40} enough|"
     r"cannot say enough good|10/10|five stars|5 stars|would (?:definitely )?(?:use|hire) "
     r"(?:them|him|her) again|go with\b|shout ?out to", 2.0),
    (r"(?:we|i) (?:used|use|hired|had|called|went with|love|loved) [^.!?\n]{1,60} (?:and|they|he|"
     r"she)\b[^.!?\n]{0,40}\b(?:did|was|were|are|is|came|fixed|showed|cleaned|replaced|"
     r"great|amazing|awesome|fantastic|reasonable|fair|honest)", 2.0),
    (r"tell (?:him|her|them) [\w ]{1,20} sent you|(?:his|her|their) (?:number|info|cell|"
     r"contact) is|here(?:'s| is) (?:his|her|their) (?:number|info|contact)|"
     r"(?:i'll|i will|happy to|can) send (?:you )?(?:his|her|their) (?:info|number|contact)", 2.0),
    (r"(?:did|does|do) (?:a |an )?(?:great|amazing|awesome|fantastic|excellent|wonderful|"
     r"fabulous|good|stellar|solid|quality) (?:job|work)", 1.5),
    (r"(?:he|she|they)(?:'s| is|'re| are) (?:great|amazing|awesome|the best|honest|reliable|"
     r"reasonable|fair|fantastic|excellent|wonderful)", 1.0),
    (r"(?:replying|responding) to|for (?:whoever|anyone who) (?:was|is) (?:asking|looking)|"
     r"(?:someone|somebody|a few people) (?:was |were )?asked (?:about|for)|"
     r"since (?:people|folks|everyone|a few of you|several of you|so many|a lot of (?:you|people))"
     r" (?:keep |have been |always )?ask|people ask (?:every|all the|about)|for the group",
     2.5),
    (r"don'?t pay (?:those|the|big)|(?:my|our) (?:neighbor|friend|cousin|brother|son|nephew|"
     r"uncle|dad|husband)(?:'s \w+)? (?:does|do|did) (?:it|this|that|great|good|amazing)", 1.5),
    (r"seconding|second(?:ing)? (?:the|this) rec|\+1 (?:for|on)|also recommend|"
     r"if you (?:ever )?need (?:a|an|some)|(?:is|are) legit|they(?:'ve| have) been great", 2.5),
    (r"(?:keep|save) (?:his|her|their) (?:number|info|card)|just want(?:ed)? to (?:say|share|"
     r"give|shout)|not sure if this helps", 2.0),
    (r"les recomiendo|se los recomiendo|recomiendo mucho|(?:nosotros )?usamos a|"
     r"d[ií]ganle que van de mi parte|les paso su|le paso su (?:n[uú]mero|tel[eé]fono)|"
     r"para (?:la|el) que (?:preguntaba|pregunt[oó])", 2.0),
    (r"(?:le|les|se la|se lo|se los|se las) recomiendo|quiero recomendar|recomiendo a|"
     r"(?:our|my) (?:nanny|sitter|babysitter|cleaner|housekeeper|handyman|guy) is looking for|"
     r"looking for (?:a )?new famil(?:y|ies)|dm me for (?:his|her|their) (?:info|number)|"
     r"\b(?:es|son) (?:muy )?honest[oa]s?", 2.0),
)

REVIEW: tuple[tuple[str, float], ...] = (
    (r"\bbeware\b|\bwarning\b|\bpsa\b|heads up|\bavoid\b|\bscam(?:mer|mers|med|s)?\b|"
     r"ripped (?:us |me )?off|rip[ -]?off|do not (?:use|hire|call)|don't (?:use|hire|call)|"
     r"dont (?:use|hire|call)|stay away", 2.0),
    (r"never (?:again|showed|came back|returned|finished|called back)|no[ -]show(?:ed)?|"
     r"ghosted|took (?:our|my) (?:money|deposit)|still waiting (?:on|for) (?:them|him|her)",
     2.0),
    (r"\b[1-5] stars? (?:for|to)|one star|zero stars|be careful out there|second opinion:", 2.0),
    (r"unprofessional|incompetent|overcharged|rant\b|venting\b|(?:need|needed|have) to vent\b|worst (?:company|service|"
     r"experience|contractor)", 1.0),
    (r"(?:last|this past) (?:week|month|year|summer|spring|winter|fall) (?:we|i) (?:had|hired|"
     r"used)", 1.0),
    (r"(?:just|finally) (?:had|got) (?:our|my|the) [\w ]{1,30} (?:done|replaced|installed|fixed|"
     r"cleaned)", 1.5),
    (r"cuidado con|no contraten|mala experiencia|nunca regres[oó]|no le den dinero|"
     r"ya no los vuelvo|gracias al t[eé]cnico|excelente servicio", 2.0),
    (r"^review\b|review of (?:the|our|my)|(?:quedo|qued[oó]) (?:todo |bien )|"
     r"gracias a (?:la|el|los|las) (?:se[nñ]ora|se[nñ]or|muchach)", 2.0),
)

DIY: tuple[tuple[str, float], ...] = (
    (r"how (?:do|can|would|should|did) (?:i|you|we|one) (?:fix|replace|install|repair|unclog|"
     r"get rid|remove|stop|reset|clean|change|patch|adjust|tell|know|light|drain|flush|"
     r"put|paint|level|seal|caulk|hang|wire|mount|re-?grout|refinish)", 2.5),
    (r"\bdiy\b(?! person)|(?<!not )do it myself|(?<!not )(?:doing|do) (?:it|this|the [\w ]{1,20})"
     r" myself|"
     r"by myself|on my own|youtube|tutorial|yo mism[oa]", 1.5),
    (r"(?:can|should) i (?:put|use|just|do|paint|install|replace|pour)\b", 1.0),
    (r"(?<!not doing )(?<!not do )(?:it|this|that|them) myself", 1.5),
    (r"what (?:size|kind|type|brand|part|model|tool|product|gauge|filter) (?:of )?", 1.5),
    (r"where (?:can i|do you|do i|to) (?:buy|get|find|order) (?:a |the |replacement )?"
     r"(?:part|parts|filter|replacement)", 1.5),
    (r"(?:any|some) (?:tips|advice|ideas|tricks) (?:on|for|about)? ?(?:how|fixing|getting|"
     r"removing|doing)|tips\?", 1.5),
    (r"is (?:this|it|that) (?:something|a job) (?:i|a homeowner) can|is this (?:a )?diy|"
     r"easy fix|worth (?:trying|doing) (?:myself|it myself)", 2.0),
    (r"home depot|lowe'?s|hardware store", 0.8),
    (r"(?:the )?best (?:\w+ ){0,2}(?:seed|product|brand|spray|filter|paint|stain|caulk|tool|"
     r"fertilizer|killer|sealant|cleaner)s?\b", 1.5),
    (r"is (?:this|it|that) (?:normal|safe|bad|serious|dangerous|a problem)\?", 1.0),
    (r"what (?:causes|could cause|would cause|is causing|does it mean)", 1.2),
    (r"(?:don'?t|do not|no) (?:want|wanna|quiero) (?:to )?(?:pay|hire|call|pagar)|"
     r"c[oó]mo (?:cambiar|arreglar|reparar|quitar|instalar|destapar)", 2.0),
    (r"(?:la|lo) quiero (?:arreglar|hacer|cambiar) yo|remedio casero|qu[eé] (?:medida|marca|tipo)"
     r" (?:compro|de|es)|cada cu[aá]nto se", 2.0),
    (r"how (?:do|can|would|should) (?:i|we) get (?:the|my|our|it|this|that)\b|"
     r"where is (?:the|my|our) (?:main|shutoff|shut-off|breaker|water|gas|panel)|"
     r"(?:dumb|stupid|silly) question|what(?:'s| is) a good (?:\w+ )?colou?r|"
     r"(?:como|c[oó]mo) se (?:resetea|cambia|arregla|destapa|quita|limpia)|"
     r"intentarle yo|qu[eé] funciona mejor", 2.0),
)

PRICE_QUESTION: tuple[tuple[str, float], ...] = (
    (r"how much (?:do|does|should|would|will|is|are|did|to|for|can|it)", 1.5),
    (r"(?:average|typical|normal|usual) (?:\w+ )?(?:cost|price|rate)s?|house hunting|"
     r"trying to budget|just budgeting|just curious|what (?:are|do) (?:people|y'all|you|folks|others) "
     r"(?:paying|pay|charging)", 1.5),
    (r"what(?:'s| is| do| does| would| should)? (?:a |the )?(?:fair|reasonable|average|normal|"
     r"typical|going) (?:price|rate|cost)|going rate|average cost|ballpark|"
     r"what do (?:\w+ )?(?:plumbers|electricians|roofers|painters|handymen|cleaners|"
     r"landscapers|movers|contractors|they) (?:charge|cost)|"
     r"(?:price|cost)s? (?:per|an|a) (?:hour|sq|square)", 1.5),
    (r"is \$?\d[\d,.]*k? (?:a |too |reasonable|fair|normal|high|expensive|a lot|crazy|steep)|"
     r"(?:fair|reasonable|too high|ripped off)\?", 1.5),
    (r"(?:m[aá]s o menos )?cu[aá]nto (?:cuesta|cobra un|sale)|solo es curiosidad|"
     r"es solo para saber|no lo necesito ahorita", 1.5),
    (r"nom[aá]s (?:por curiosidad|para (?:darme una idea|saber))|por curiosidad|"
     r"cu[aá]nto (?:le )?pagan|es normal eso|(?:is that|was that) normal\?", 1.5),
)

# A job offer is told by its strong signs; the weak ones (pay rates, "full time") only add
# weight once a strong one is present, since homeowners mention pay and schedules too.
JOB_OFFER: tuple[tuple[str, float], ...] = (
    (r"busco trabajadores|se buscan? (?:trabajadores|ayudantes)|pago semanal|contratando|"
     r"empleo", 3.0),
    (r"(?:now |we(?:'re| are) |is |are |currently |actively )hiring|hiring (?:now|immediately|"
     r"experienced|for|a |an |\d)|help wanted|join (?:our|the) (?:team|crew)|"
     r"positions? (?:available|open)|now accepting applications", 3.0),
    (r"apply (?:now|today|at|here|online|in person|within)|send (?:your |a )?resume|resumes?\b",
     2.5),
    (r"(?:looking for|seeking|need|needing|any) (?:an? )?(?:\d+ )?(?:experienced |licensed |"
     r"reliable |good )*(?:techs?|technicians?|helpers?|laborers?|apprentices?|installers?|"
     r"crew members?|sub ?-?contractors?|subs|journeym[ae]n|employees|workers|roofers|painters|"
     r"plumbers|electricians|framers|drywallers|tapers|crews?)\b[^.!?\n]{0,40}(?:to join|"
     r"for (?:our|my) (?:team|crew|company|business)|looking for (?:side )?work|to sub\b|"
     r"for (?:a )?commercial|for (?:new construction|storm season)|needed for|to take over|"
     r"\$\d+ ?/ ?(?:day|hr|hour)|paid by|pay per)", 3.0),
    (r"apprentice|will train|with your experience|(?:i|we) run a (?:small )?(?:\w+ )?(?:business|"
     r"company)|company owner|my guys|cash pay|\d+ helpers?\b", 3.0),
    (r"(?:helper|hand|laborer|worker)s? for (?:my|our) (?:\w+ )?(?:crew|team|company|business)|"
     r"sub ?-?contract\b|(?:great|good|top) pay\b|paid daily|must be able to|start "
     r"(?:monday|immediately|asap|tomorrow|right away)", 2.5),
    (r"company (?:vehicle|truck|van)|weekly pay|pay weekly|no weekends|journeym[ae]n|"
     r"experience (?:with [\w ]+ )?(?:is )?(?:a plus|preferred|required)|long[- ]term project|"
     r"show up (?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|at the site|"
     r"\d)", 2.5),
    (r"(?:installer|tech|technician|crew|roofing|fence|hvac|plumbing|electrical|lawn|painting)"
     r" helpers?\b|(?:finishers|framers|laborers|helpers|hands|workers|crew members|installers|"
     r"techs|technicians|apprentices|roofers|painters|plumbers|electricians|carpenters|welders|"
     r"drivers) (?:needed|wanted)", 3.0),
    (r"sub ?-?contractors? (?:needed|wanted)|subs? needed|(?:our|my) (?:company|crew|team) "
     r"(?:is|needs)|(?:side|steady) work|to sub\b|sub (?:out|it out)|take over (?:a|my|our) "
     r"route|more (?:installs|jobs|work) than (?:i|we) can handle", 2.5),
    (r"busco ayudantes? (?:para|con)|se necesitan (?:trabajadores|ayudantes|pintores|personas|"
     r"techeros)|pago (?:diario|por d[ií]a|cada semana)|presentarse|estamos contratando|"
     r"traer su (?:propia )?herramienta|necesito \d+ (?:pintores|trabajadores|ayudantes)", 3.0),
    (r"(?:busco|ocupo|necesito|se necesitan?) (?:\d+ )?(?:muchachos|trabajadores|ayudantes|"
     r"personal) para trabajar|para trabajar (?:con nosotros|en (?:yardas|techos|construcci))|"
     r"(?:our|my) (?:\w+ )?(?:company|crew|team|business) (?:is hiring|needs|is looking)|"
     r"(?:someone|anyone) looking for work", 3.0),
)
JOB_OFFER_WEAK: tuple[tuple[str, float], ...] = (
    (r"\$\d+(?:\.\d+)?(?:-\$?\d+)?\s*(?:/|an?\s|per\s)\s*(?:hr|hour|day)\b|\b(?:w-?2|1099)\b|"
     r"full[ -]time|part[ -]time|benefits|paid (?:weekly|training|time off)|pto\b|401k|"
     r"sign[ -]on bonus|cdl|valid (?:driver'?s )?license|background check|transportation "
     r"required|pay per (?:install|job|pool|square|house)|paid by the (?:square|job|hour)|"
     r"bring your own tools|must have (?:own |your own |a )?(?:truck|tools|license|experience)|"
     r"serious inquiries only|commercial job", 1.5),
)

SPAM: tuple[tuple[str, float], ...] = (
    (r"crypto|bitcoin|\bbtc\b|forex|\bnft\b|binance|investment (?:opportunity|platform)|"
     r"passive income|financial freedom|trading (?:signals|platform|account)", 3.0),
    (r"work(?:ing)? from home|make \$?\d[\d,]*k? (?:a|per|every) (?:day|week|month)|"
     r"earn (?:up to )?\$|be your own boss|side hustle|extra income|"
     r"dm me (?:to|for) (?:learn|details|info|more)|ask me how", 2.5),
    (r"giveaway|free (?:iphone|ipad|gift ?cards?|money)|click (?:the|this) link|link in "
     r"(?:bio|comments)|telegram|whats ?app (?:me|\+)|cash ?app|sugar (?:daddy|mommy)|"
     r"loans? (?:approved|available)|credit repair|weight loss|essential oils|"
     r"\bmlm\b|limited spots|act now|100% guaranteed", 2.5),
    (r"gana \$?\d+|desde (?:tu|su) casa con|compramos casas|whatsapp para m[aá]s", 2.5),
)

# Posts about something else that happen to name a home word ("lost dog near the pool").
OFF_TOPIC: tuple[tuple[str, float], ...] = (
    (r"lost (?:dog|cat|pet|puppy|kitten)|found (?:a |this )?(?:dog|cat|puppy|kitten)|"
     r"(?:garage|yard|estate|moving) sale|for sale|(?:i'm |we're )?selling (?:a|an|our|my|this)|"
     r"free to (?:a )?good home|obo\b|curb alert", 3.0),
    (r"se (?:perdi[oó]|escap[oó]) (?:mi )?(?:perr|gat)\w*|vendo\b|se vende", 3.0),
    (r"restaurant|restaurante|(?:apartment|apartamento|house|home|casa|room|cuarto) (?:\w+ ){0,3}?"
     r"(?:to|for|para) (?:rent|rentar)|roommate|compa[nñ]er[oa] de cuarto", 3.0),
    (r"(?:can we|let'?s) talk about|anyone else (?:have|having|lose|lost|notice|hear|see)\b|"
     r"(?:power|the power|la luz) (?:is|went) out (?:on|in) (?:our|the|my)", 2.0),
)

RESOLVED: tuple[tuple[str, float], ...] = (
    (r"never ?mind|\bnvm\b|no longer need(?:ed)?|don'?t need (?:one|a \w+|anyone|it) "
     r"(?:anymore|any more|now)|(?:problem|issue) (?:is )?(?:solved|resolved|fixed)|"
     r"(?:fixed|sorted|figured) it(?: out)?(?: myself)?[!.]|(?:got|have) it (?:fixed|handled|"
     r"sorted|taken care of)", 3.0),
    (r"(?:i|we|i've|we've|finally|just|already) (?:found|hired|booked|went with|got) (?:someone|"
     r"somebody|a guy|a company|one|"
     r"a plumber|an electrician|a \w+ (?:guy|company))|thanks (?:everyone|all|y'all|guys)"
     r"[,!.]? (?:we|i) (?:found|hired|went with|booked)", 2.5),
    (r"got it covered|thanks anyway|(?:edit|update):? [^.!?\n]{0,40}(?:covered|found someone|"
     r"handled|sorted|fixed|taken care of|no longer|booked|hired)|no (?:more|longer) (?:recs?|"
     r"recommendations|help|quotes) (?:needed|please)|thanks for all the (?:names|recs|"
     r"recommendations)", 3.0),
    (r"not looking for (?:recommendations|recs|a \w+|anyone|help|quotes)|just venting|"
     r"closing (?:this|comments)|update:? (?:all )?(?:fixed|done|sorted|resolved)", 3.0),
    (r"no need for (?:a|an) \w+ (?:anymore|any more|after all)", 3.0),
    (r"ya no (?:necesito|ocupo)|ya (?:lo|la) arregl[oóeé]|ya encontr[eé]|"
     r"gracias a (?:todas|todos) por las recomendaciones", 3.0),
)

# After blind4's first look (docs/analyzer.md): requests told without a request phrase (the
# service named first, "for my ...", "quote wanted"), a reply asking for the same name, job
# offers by their terms (hours, pay, "experienced only", a trade company's staff), DIY and
# price questions that name a symptom, providers offered by a relative, and requests for
# things that are not a service (a used truck, an apartment, a restaurant).
REQUEST += (
    (r"\A(?:[\w'-]+ ){0,2}?" + TRADE + r" for (?:my|our)\b(?! (?:\w+ )?(?:company|business|"
     r"crew|team)\b)", 2.0),
    (r"\A(?:[\w'-]+ ){0,2}?(?:washing|cleaning|trimming|removal|repairs?|install(?:ation)?|"
     r"painting|mowing|grooming|tutoring|lessons|clean-?up|hauling) (?:(?:for|of) (?:my|our|the|"
     r"a|an|\w+(?=,))|quotes?|estimates?|needed|wanted|asap)\b", 1.5),
    (r"(?:quotes?|estimates?|bids?) (?:wanted|needed|requested|please)", 2.0),
    (r"would (?:love|like|appreciate) (?:the|a|their|his|her|your) (?:name|number|info|contact|"
     r"recs?)\b|when you find (?:one|someone|somebody|a good one)|following[!.]*\s+(?:ours|mine|"
     r"same|us too|me too)", 2.0),
    (r"any(?:one|body) (?:repairs?|fix(?:es)?|services?|works? on|installs?) (?:these|those|"
     r"this|them|that)\b", 2.0),
    (r"(?:tired|sick) of \w+ (?:\w+ ){0,2}?(?:myself|ourselves)", 2.0),
    (r"(?:recs?|recommendations?|suggestions?) (?:that|who) (?:take|takes|accept|accepts|do|does|"
     r"can|will|come|comes|work|works)\b", 2.0),
)
AD += (
    (r"(?:my|her) (?:husband|son|brother(?:-in-law)?|dad|father|cousin|uncle|nephew|wife|"
     r"sister) (?:is|'s) (?:a |an )(?:\w+ ){0,2}(?:roofer|plumber|electrician|painter|handyman|"
     r"landscaper|mechanic|contractor|locksmith|cleaner|arborist|tech|technician|installer)|"
     r"if you want (?:his|her|their) (?:info|number|contact|name)", 2.0),
    (r"no trip (?:charge|fee)|no (?:service|diagnostic) (?:call )?fee|call (?:\w+ ){1,2}"
     r"(?:plumbing|roofing|electric(?:al)?|heating|hvac|pest control|lawn care|landscaping|"
     r"painting|services|llc)\b", 1.5),
)
JOB_OFFER += (
    (r"receptionist|dispatcher|office (?:manager|assistant)|front desk|cashier|secretary|"
     r"administrative assistant|customer service rep", 2.5),
    (r"(?:at|for|join) our (?:\w+ ){0,2}(?:plumbing|roofing|hvac|electrical|pest control|"
     r"landscaping|lawn|cleaning|painting|construction|remodeling|fence|pool|moving|tree|"
     r"concrete) (?:company|business|crew|team|shop)\b", 2.5),
    (r"experienced only", 2.0),
    (r"long[- ]term (?:work|job|position)", 2.5),
    (r"(?:tiene|tienen|debe) (?:q|que) tener (?:carro|troca|papeles|experiencia|licencia)|"
     r"(?:ayudar|trabajar) en (?:la )?limpieza de casas", 2.5),
)
JOB_OFFER_WEAK += (
    (r"(?:hrs?|hours?) ?(?:/|a |per )(?:week|wk)\b|pago \$?\d+|\$\d+ (?:la|por) hora", 1.5),
)
DIY += (
    (r"how (?:do|can|would|should|did) (?:i|you|we|one) (?:re-?program|program|sync|pair|"
     r"set up|turn off|shut off|descale|winterize|test|clean out)", 2.5),
    (r"trying not to (?:pay|hire|call)|(?:rather|prefer) not (?:to )?(?:pay|hire|call)|"
     r"without (?:paying|calling|hiring) (?:a|an|someone)", 2.0),
    (r"(?:any|a|good) (?:\w+ )?(?:trick|hack)s?\b|besides (?:drano|bleach|vinegar|plunging)|"
     r"anyone tried (?:one|it|this|these|that|those)", 1.5),
    (r"something (?:i|we) (?:can|could) do (?:myself|ourselves)|(?:can|could|should) (?:i|we) "
     r"(?:\w+ ){1,5}?(?:myself|ourselves)|brush kit", 2.0),
    (r"how often (?:should|do|does|must) (?:you|i|we|one|it)|(?<!not )(?<!n't )(?:adding|"
     r"installing|replacing|fixing|painting|putting|changing) (?:\w+ ){0,3}myself|"
     r"(?:do|does) (?:i|that|this|it) (?:need|require) a permit", 1.5),
)
PRICE_QUESTION += (
    (r"cu[aá]nto (?:les|te|le|nos) cobr(?:aron|[oó])|cu[aá]nto (?:pagaron|pagaste)|"
     r"(?:juntando|ahorrando) (?:dinero )?para", 1.5),
    (r"curious (?:what|how much|if|about)|sav(?:e|ing) up for|(?:underpaying|overpaying) "
     r"(?:mine|ours|her|him|them)|give (?:her|him|them) a raise|what do (?:y'all|you all|"
     r"you guys|people|folks) pay (?:your|their)", 1.5),
    (r"(?:had|got) (?:ours|mine|it|them) (?:\w+ ){0,2}(?:done|taken down|removed|replaced|"
     r"installed|fixed) (?:last|this past|a few|for \$)", 1.5),
)
RECOMMENDATION_GIVEN += (
    (r"if you(?:'re| are) (?:[\w,]+ ){1,4}?(?:and )?(?:ever )?need (?:a|an|some)\b", 2.5),
    (r"for (?:everyone|everybody|anyone|those|all of you|y'all|whoever)(?: who(?:'s| was| were|"
     r" is| are)?)? (?:asking|looking|wondering) (?:about|for)", 2.5),
)
OFF_TOPIC += (
    (r"used (?:truck|car|suv|van|vehicle|f-?150|minivan)|(?:truck|car|suv|van) under \$|"
     r"cash buyer|\d ?(?:br|bd|bed(?:room)?)\b (?:\w+ )?(?:apartment|apt|house|condo|duplex)|"
     r"(?:apartment|apt|condo|duplex) (?:under|for under) \$|brunch|(?:bar|restaurant|brunch|"
     r"lunch|dinner|food|taco|pizza|bbq|sushi) (?:recs?|spots?|places?)\b|(?:good|best) "
     r"(?:spot|place) (?:to eat|for (?:brunch|dinner|lunch|drinks|tacos))|takes reservations|"
     r"rentar (?:un |una )?(?:casa|apartamento|cuarto)|(?:casa|apartamento|cuarto) (?:para|en) "
     r"renta", 3.0),
)

# --- urgency ------------------------------------------------------------------------------------
EMERGENCY: tuple[str, ...] = (
    r"emergency", r"emergencia", r"urgent(?:ly)?", r"urgente", r"asap!", r"right now",
    r"right away", r"immediately", r"tonight", r"today", r"this (?:morning|afternoon|evening)",
    r"(?:water|sewage) (?:everywhere|all over|pouring|gushing|coming (?:in|through|up))",
    r"flood(?:ed|ing)", r"burst", r"busted pipe", r"no (?:heat|ac|a/c|air|power|water|hot water)"
    r"\b", r"(?:ac|a/c|heat|air|furnace|heater) (?:is |went |just )?(?:out|died|quit|stopped|"
    r"broke|not working|isn't working|isnt working|won't (?:turn|come) on)", r"not cooling",
    r"spark(?:s|ing)", r"smoke|smoking|burning smell|smells? like (?:burning|smoke|gas)",
    r"gas leak|smell(?:s|ing)? gas", r"(?:tree|limb|branch)(?:es)? (?:fell|fallen|came down|"
    r"is down|on (?:my|our|the) (?:roof|house|car|fence))", r"locked (?:myself )?out",
    r"backing up|backed up", r"\b1\d\d ?(?:degrees|°)", r"(?:baby|newborn|elderly|"
    r"grandma|grandmother|grandpa|dog|pets?) (?:in|at) (?:the )?(?:house|home|heat)",
    r"ceiling (?:is )?(?:caving|collapsing|dripping)", r"can'?t (?:wait|sleep|use)",
    r"help!+", r"!!+", r"sos\b", r"shut (?:the |off )?(?:the )?(?:main|water)",
    r"urge\b", r"ahorita", r"hoy(?: mismo)?", r"ahora mismo", r"ya mismo", r"esta noche",
    r"se revent[oó]", r"agua por todo", r"inundad[oa]", r"humo", r"huele a (?:quemado|gas)",
    r"se est[aá] quemando", r"chispas", r"no (?:tenemos|hay) (?:aire|calefacci[oó]n|agua|luz)",
    r"me qued[eé] afuera", r"se cay[oó] (?:una rama|un [aá]rbol)", r"pouring", r"thawing",
    r"(?:stuck|locked) outside",
)

SOON: tuple[str, ...] = (
    r"asap", r"a\.s\.a\.p", r"soon", r"tomorrow", r"this (?:week|weekend)", r"next (?:week|few "
    r"days)", r"by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend|"
    r"end of (?:the )?week|\d)", r"(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday)\b", r"quickly", r"as soon as", r"leak(?:s|ing|y)?", r"broken|broke\b",
    r"won'?t (?:close|open|start|turn|work|drain|flush|stop)", r"not working|isn'?t working|"
    r"stopped working|quit working", r"clogged|clog", r"dripping", r"(?:closing|inspection|"
    r"move[ -]?in|move[ -]?out|listing|party|guests?) (?:is |on |date|next|this|coming)",
    r"before (?:the|our|my|we|i|it|they|baby|move|closing|christmas|thanksgiving|the holidays)",
    r"pronto", r"lo antes posible", r"(?:on|by) the \d{1,2}(?:st|nd|rd|th)?", r"in \d+ (?:days|"
    r"weeks|wks)", r"\d+ (?:days|weeks|wks)(?: away)?!*\)?", r"next few weeks", r"this month",
    r"within (?:a|the|\d)",
    r"ma[nñ]ana", r"esta semana", r"este fin de semana", r"la (?:pr[oó]xima|otra) semana",
    r"el mes que (?:entra|viene)", r"antes de(?:l)?\b", r"para el (?:d[ií]a )?\d+",
    r"el (?:lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)",
    r"en \d+ semanas", r"lo m[aá]s pronto", r"before (?:summer|winter|spring|fall|school starts|"
    r"the (?:summer|winter|heat|freeze|cold))", r"antes del? (?:verano|invierno|fr[ií]o|calor)",
)


def terms(terms: tuple[str, ...]) -> str:
    """One alternation of ``terms``; matched with word boundaries by ``prefilter.Guarded``."""
    return "|".join(terms)
