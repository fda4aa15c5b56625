#!/usr/bin/env python3
"""Build blind4_posts.jsonl from the hand-written posts below.

Every post was written by hand for this set. Helpers:
  L(...)  a lead: kind is request, or urgent_request when urgency is emergency.
  N(...)  a non-lead: urgency is always null.
sym=True marks a lead that describes the need only by its symptom (author's
bookkeeping, not written to the file).
"""
import json
import random
from pathlib import Path

# The set ships with the package since it was trained on (after its first look).
POSTS_FILE = (Path(__file__).resolve().parents[2] / "src" / "pipelineos" / "analysis" / "labeled"
              / "blind4" / "blind4_posts.jsonl")

POSTS = []


def L(text, group, cat, loc, urg, lang="en", sym=False):
    assert urg in ("emergency", "soon", "flexible")
    POSTS.append(dict(text=text, group_name=group,
                      kind="urgent_request" if urg == "emergency" else "request",
                      is_lead=True, category=cat, location=loc, urgency=urg,
                      language=lang, _sym=sym))


def N(text, group, kind, cat, loc, lang="en"):
    POSTS.append(dict(text=text, group_name=group, kind=kind, is_lead=False,
                      category=cat, location=loc, urgency=None, language=lang,
                      _sym=False))


# ---------------------------------------------------------------- leads that name the trade
L("Anyone have a dryer vent cleaning company they actually liked? Last guy in Allen charged $189 and I'm not sure he did anything lol. Want it done before the holidays when the dryer runs nonstop.",
  "Allen TX Moms & More", "cleaning", "Allen", "soon")
L("Getting quotes for blown-in insulation in the attic. 1987 house in Richardson, current stuff is maybe 4 inches and flattened. Not in a hurry, just want 2-3 bids before summer.",
  "Richardson Residents", "hvac", "Richardson", "flexible")
L("Need a French drain put in along the side yard. Water sits against the slab for days after every storm. Keller area. Who's done this for you and would you hire them again?",
  "Keller / Southlake Recommends", "landscaping", "Keller", "soon")
L("Thinking about a whole-house standby generator after the last ice storm. Looking for a licensed electrician who does Generac installs in Frisco. No rush, planning for next winter.",
  "Frisco Neighbors Connect", "electrical", "Frisco", "flexible")
L("Just bought a Model Y 🎉 need a Level 2 charger installed in the garage. Panel is on the opposite wall. Recs for an electrician in McKinney who's done a bunch of these? Car gets delivered the 14th.",
  "McKinney Word of Mouth", "electrical", "McKinney", "soon")
L("Window cleaning recs? 2 story, lots of windows, inside and out. Hosting Thanksgiving so would love it done in the next 2 weeks. Flower Mound",
  "Flower Mound Community", "cleaning", "Flower Mound", "soon")
L("Who installs gutter guards around here that aren't the ones that call you 9 times a day? I'm done climbing the ladder every fall. Wylie 75098. Quotes welcome.",
  "Wylie Community Chat", "roofing", "Wylie", "flexible")
L("need a plumber to replace a water heater, 50 gal gas, in the garage. its 14 yrs old and leaking a little at the bottom, not flooding yet. Mesquite",
  "Mesquite TX Community Board", "plumbing", "Mesquite", "soon")
L("Our fence is leaning bad after that wind on Saturday, 3 posts snapped at the ground. Need someone to replace posts and maybe a few pickets. Grand Prairie near Carrier Pkwy.",
  "Grand Prairie Neighbors", "fencing", "Grand Prairie", "soon")
L("Looking for a reliable house cleaner every other week. 3/2, two dogs, one toddler, zero energy. Please no apps, I want a real person I can text.",
  "Lewisville Local", "cleaning", None, "soon")
L("Anyone know a good roofer for an insurance claim? Hail last month, adjuster already came out and approved it. Want someone local, not storm chasers. Rockwall",
  "Rockwall Area Neighbors", "roofing", "Rockwall", "soon")
L("Need pest control, quarterly service. Seeing roaches in the garage and scorpions (!!) twice this week. Prefer someone pet safe. Conroe",
  "Conroe & Lake Conroe Community", "pest_control", "Conroe", "soon")
L("Tree trimming quote wanted — big live oak hanging over the roof, branches scraping the shingles when it's windy. Also want the crape myrtles cleaned up while they're here. Arlington, near UTA.",
  "Arlington TX Buy Sell & Recommend", "tree_service", "Arlington", "soon")
L("Garage door opener died (motor hums, door doesn't move). I can open it by hand so not urgent, but need someone this week.",
  "Garland Neighbors Talk", "garage_door", None, "soon")
L("HOA sent a letter about peeling trim 🙄 Need a painter for exterior trim, garage door and front door before the 30th. Prosper",
  "Prosper Families", "painting", "Prosper", "soon")
L("Looking for a pool service for weekly cleaning + chemicals. Our previous guy moved to Tyler. Saltwater pool, Little Elm.",
  "Little Elm Neighbors", "pool_service", "Little Elm", "soon")
L("Movers needed for a 1BR apartment to a house in Denton, Dec 2nd. 3rd floor no elevator 😩 Small local crew preferred over the big franchise guys.",
  "Denton County Recommendations", "moving", "Denton", "soon")
L("Junk removal rec? Cleaning out my late dad's garage in Duncanville, probably a full truckload of stuff plus an old freezer. Sometime in the next few weeks.",
  "Duncanville Chatter", "moving", "Duncanville", "soon")
L("Need a locksmith to rekey all the locks, we just closed on a house in Sachse. Would like it done this weekend.",
  "Sachse / Wylie Neighbors", "locksmith", "Sachse", "soon")
L("Need a foundation company to come look. Doors in the back half of the house stopped latching and there's a crack over the kitchen window. Want 3 opinions before anyone tells me I need 20 piers, but sooner rather than later. Mansfield",
  "Mansfield TX Word of Mouth", "concrete", "Mansfield", "soon")
L("Pressure washing for driveway, sidewalk and back patio before my daughter's graduation party (June 1). Euless",
  "HEB Neighbors (Hurst Euless Bedford)", "pressure_washing", "Euless", "soon")
L("Tile guy needed — want to redo the shower walls in the hall bath, about 60 sq ft. Already bought the tile. Bedford. Quotes please, no hurry.",
  "HEB Neighbors (Hurst Euless Bedford)", "flooring", "Bedford", "flexible")
L("Looking for a contractor for a full kitchen remodel: cabinets, counters, moving the sink to the island. Hoping to start in the spring. Plano west of 75.",
  "r/Plano", "remodeling", "Plano", "flexible")
L("Any recommendations for an irrigation tech? 3 zones not coming on and one head is geysering every morning at 5am lol. Coppell",
  "Coppell Community Forum", "landscaping", "Coppell", "soon")
L("need electrician to swap out our Federal Pacific panel, insurance co says they wont renew unless its replaced by march. Hurst",
  "Hurst Homeowners", "electrical", "Hurst", "soon")
L("[Recommendation request] Honest HVAC company in Fort Worth? Two companies told me I need a whole new system ($14k) for a unit that's 9 years old. Want a third opinion from someone not on commission.",
  "r/FortWorth", "hvac", "Fort Worth", "soon")
L("Posting for my mom (82) in Irving: she needs grab bars installed in the shower and next to the toilet. Looking for someone patient and kind who won't upsell her. I'll pay, she's off Story Rd.",
  "Irving Texas Community", "handyman", "Irving", "soon")
L("Realtor here, listing goes live on the 10th. Need a painter for touch ups + a deep clean the week before. Painter first — who can fit a 2 day job in Colleyville?",
  "Colleyville Connect", "painting", "Colleyville", "soon")
L("Our church needs quotes to re-roof the fellowship hall (flat roof, maybe TPO?). The board meets next month to choose. Oak Cliff, off Jefferson.",
  "Oak Cliff Neighbors", "roofing", "Oak Cliff", "flexible")
L("Rat in the attic. I hear it every night at 3am running laps. Need someone to seal entry points and trap, not just throw poison up there. Lakewood",
  "Nextdoor - Lakewood", "pest_control", "Lakewood", "soon")
L("Need someone to fix the concrete steps to the front porch, crumbling on one side and my father in law almost fell. Would like it done before the in-laws visit at Christmas. White Settlement",
  "White Settlement Hometown", "concrete", "White Settlement", "soon")
L("Water softener recs + install? The water here is wrecking our glass shower door and the dishwasher. Just collecting quotes for now. Frisco",
  "Frisco Neighbors Connect", "plumbing", "Frisco", "flexible")
L("Chimney sweep? Haven't used the fireplace in 3 years and the kids want stockings and a real fire this Christmas.",
  "Keller / Southlake Recommends", "cleaning", None, "soon")
L("Need an appliance repair person — Bosch dishwasher shows E24 and won't drain. Already cleaned the filter and checked the hose. Who do you use?",
  "Farmers Branch Friends", "appliance_repair", None, "soon")
L("NEED A ROOFER TO COME LOOK AT MY ROOF, MISSING SHINGLES AFTER THE HAIL AND THE NEIGHBORS ALL GETTING NEW ONES. NOT STORM CHASERS PLEASE. CROWLEY TX",
  "Crowley / Burleson Community", "roofing", "CROWLEY", "soon")
L("Katy folks — need a gutter guy, the gutters on the back pulled away from the fascia in the last storm and are hanging at an angle. Need them rehung or replaced.",
  "Katy TX Moms", "roofing", "Katy", "soon")
L("Houston Heights: looking for a plumber to reroute the water heater drain line, inspector flagged it and we close on the sale in 2 weeks.",
  "r/houston", "plumbing", "Houston Heights", "soon")
L("San Antonio - Stone Oak area. Anyone have a good AC company? Upstairs never gets below 79 in the afternoon. Not broken, just can't keep up.",
  "San Antonio Home Help", "hvac", "San Antonio", "soon")
L("Round Rock: need a fence company for a new 6ft cedar privacy fence, roughly 140 linear feet. Want to start in March, collecting bids now.",
  "Round Rock Neighbors", "fencing", "Round Rock", "flexible")
L("Mesa AZ — looking for a reliable pool guy, came home from 2 weeks of vacation to a green swamp 🤢",
  "Mesa AZ Neighbors", "pool_service", "Mesa", "soon")
L("Marietta — can anyone recommend someone to clean gutters and windows? Single story but the gutters are packed with pine straw.",
  "East Cobb / Marietta Community", "cleaning", "Marietta", "soon")
L("Atlanta area, Kennesaw. Need a handyman to replace some rotted trim around the back door and a window sill before we list the house in a few weeks.",
  "Kennesaw Area Neighbors", "handyman", "Kennesaw", "soon")
L("Sooo my husband says he can 'figure out' the ceiling fan install and it has now been 4 months 😂 Need someone to install 2 fans, boxes are already there. Rowlett please!",
  "Rowlett Lake Living", "electrical", "Rowlett", "soon")

# ---------------------------------------------------------------- symptom-only leads
L("Tub drain is so slow we literally stand in water up to our ankles by the end of a shower. Drano did nothing. Who can come look at it this week? Rowlett",
  "Rowlett Lake Living", "plumbing", "Rowlett", "soon", sym=True)
L("Every time the AC kicks on the lights in the kitchen flicker/dim for a second. Started last week, never did it before. Can someone come check it out? Don't want a fire. Plano",
  "Plano Moms Connect", "electrical", "Plano", "soon", sym=True)
L("Laundry takes 3 dryer cycles to dry a load of towels. The dryer is 2 yrs old. The flap outside barely moves when it's running. Anyone around Sunnyvale who can fix this?",
  "Sunnyvale TX Neighbors", "cleaning", "Sunnyvale", "soon", sym=True)
L("There's a brown ring on the ceiling in the upstairs bedroom that gets a little bigger after every rain. Need someone to find where it's coming in. Anna TX",
  "Anna / Melissa Community", "roofing", "Anna", "soon", sym=True)
L("Our electric bill was $480 last month for a 1,600 sq ft house and the outside unit runs literally all day without shutting off. House never gets under 76. Who should I call in Balch Springs?",
  "Balch Springs Community", "hvac", "Balch Springs", "soon", sym=True)
L("Back bedroom is freezing in winter and an oven in summer, rest of the house is fine. Looked in the attic and there's basically nothing between the joists over that room. Want someone to fix that before next summer. Haltom City",
  "Haltom City Hometown", "hvac", "Haltom City", "flexible", sym=True)
L("Water pools in the backyard for 3-4 days after any rain, the dogs track mud everywhere and now it's creeping under the patio slab. Who handles this kind of thing? Saginaw",
  "Saginaw TX Community", "landscaping", "Saginaw", "soon", sym=True)
L("My water bill doubled and I can hear water running in the wall even when everything is off. The meter dial keeps spinning. Need someone to find it. Lancaster",
  "Lancaster TX Neighbors", "plumbing", "Lancaster", "soon", sym=True)
L("HELP water is coming through the kitchen ceiling right now, turned off the main but it's still dripping and the drywall is sagging. need someone tonight!! Garland by Firewheel",
  "Garland Neighbors Talk", "plumbing", "Garland", "emergency", sym=True)
L("No heat, it's 19 degrees outside and 54 inside. Furnace clicks but never lights. I have a 6 week old. Anyone who can come out TONIGHT in the Denton area??",
  "Denton County Recommendations", "hvac", "Denton", "emergency", sym=True)
L("Smelling gas by the water heater closet, it's strong. We're all outside. Atmos came and shut it off at the meter but said the leak is on our side and we need someone to fix the line before they'll turn it back on. Who can come today? Mesquite",
  "Mesquite TX Community Board", "plumbing", "Mesquite", "emergency", sym=True)
L("Outlet in the living room just popped and sparked and now there's a burning smell and half the house has no power. Breaker won't reset. Need someone NOW, DeSoto",
  "DeSoto Neighbors", "electrical", "DeSoto", "emergency", sym=True)
L("Toilet AND tub are backing up with sewage, every time anyone runs water it comes up through the shower drain. Kids are home. Please who can come today, Cleburne",
  "Cleburne Community Board", "plumbing", "Cleburne", "emergency", sym=True)
L("AC is blowing hot air, 104 out today and my 89 yr old dad is in the house. Thermostat says 88 inside. Need someone this afternoon. Grand Prairie",
  "Grand Prairie Neighbors", "hvac", "Grand Prairie", "emergency", sym=True)
L("Big limb from the neighbor's pecan came down on our roof in the storm, there's a hole over the bedroom and more rain coming tonight. Who can get out here before dark?? Burleson",
  "Crowley / Burleson Community", "tree_service", "Burleson", "emergency", sym=True)
L("Garage door won't go up, a cable snapped with a loud bang and my car is stuck inside. I have to be at work at 7 tomorrow and the door is way too heavy to lift. Anyone tonight? Keller",
  "Keller / Southlake Recommends", "garage_door", "Keller", "emergency", sym=True)
L("locked the keys in the car at the Kroger on Josey with my baby in the carseat, engine is off and it's hot. called 911 too but anyone close who can open it??",
  "Carrollton Community", "locksmith", "Josey", "emergency", sym=True)
L("Our front door sticks so bad I have to shoulder it open, and the deadbolt won't line up anymore. Need someone to come fix it this week. Oak Lawn",
  "Oak Lawn / Uptown Neighbors", "handyman", "Oak Lawn", "soon", sym=True)
L("Hot water runs out after about 5 minutes now. Used to be fine. Two people showering back to back is impossible. Anyone in Cypress who can come out?",
  "Cypress TX Community", "plumbing", "Cypress", "soon", sym=True)
L("There's a white fuzzy crust and a musty smell along the bottom of the closet wall that backs up to the shower. Paint is bubbling. Looking for someone to test it and clean it up properly. Allen",
  "Allen TX Moms & More", "cleaning", "Allen", "soon", sym=True)
L("Scratching in the wall behind the bed every night around 4am and something chewed the coating off a cable in the attic. I need this gone. Sherman",
  "Sherman / Denison Community", "pest_control", "Sherman", "soon", sym=True)
L("Patch of yard by the front curb never dries out, grass is green and squishy there even in August, and the water bill went up $60. Who do I even call?? Crowley",
  "Crowley / Burleson Community", "plumbing", "Crowley", "soon", sym=True)
L("The dining room wall has a crack shaped like a staircase and the back door won't close anymore without slamming. Looking for someone honest to come look. Killeen",
  "Killeen / Harker Heights Neighbors", "concrete", "Killeen", "soon", sym=True)
L("Garage ceiling has a soft yellow spot right under the upstairs bathroom and it's sagging a bit. Nothing dripping yet. Can someone come see where it's coming from? Murphy",
  "Murphy TX Neighbors", "plumbing", "Murphy", "soon", sym=True)
L("Washer bangs so hard on spin it walks across the room and now it smells like burning rubber. Whirlpool front loader. Anyone repair these?",
  "Hurst Homeowners", "appliance_repair", None, "soon", sym=True)
L("Pool water went cloudy green in 3 days and the pump is screeching. Wife's birthday party is Saturday 🙃 Who can come look before then? Rockwall",
  "Rockwall Area Neighbors", "pool_service", "Rockwall", "soon", sym=True)
L("Shingles all over the front yard after last night's wind and I can see the black paper on one side. Forecast says storms Thursday. Who can get up there before then? Princeton",
  "Princeton TX Community", "roofing", "Princeton", "soon", sym=True)
L("upstairs thermostat says 72 and the kids rooms are 80+. the vents in their rooms barely blow. someone who can actually fix airflow, not just sell me a new unit? Lake Dallas",
  "Lake Dallas / Corinth Neighbors", "hvac", "Lake Dallas", "soon", sym=True)

# ---------------------------------------------------------------- other emergencies
L("URGENT!!! Pipe burst under the kitchen sink, water everywhere. Got the valve under the sink closed but the cabinet floor is soaked and it's still dripping from somewhere behind the wall. Need a plumber ASAP Wylie",
  "Wylie Community Chat", "plumbing", "Wylie", "emergency")
L("Locked out with my dog inside and the oven on (I know 🤦‍♀️). Need a locksmith right now, Bishop Arts",
  "Oak Cliff Neighbors", "locksmith", "Bishop Arts", "emergency")
L("Car died on I-30 eastbound near Cooper St, hazards on, battery light came on then everything went dark. Need a mobile mechanic or a tow now, anyone??",
  "Arlington TX Buy Sell & Recommend", "other", "I-30", "emergency")
L("Our caterer texted this morning that they're cancelling 😭 Baby shower is at 3pm TODAY, 40 guests. Anyone know someone who can do trays on short notice? Southlake",
  "Keller / Southlake Recommends", "other", "Southlake", "emergency")
L("Storm blew our whole back fence flat and the neighbor's two pit bulls are loose in our yard where my kids play. Need someone to put up something temporary TODAY. Rowlett",
  "Rowlett Lake Living", "fencing", "Rowlett", "emergency")
L("The line from the pole to our house is sagging and sparking where it connects to the house. Oncor says the mast is on our side. Need an electrician today, Forest Hill",
  "Forest Hill TX Community", "electrical", "Forest Hill", "emergency")
L("water heater just split, water pouring out of the garage under the door. shut the cold valve, need a replacement today, houston (Spring Branch)",
  "r/houston", "plumbing", "houston", "emergency")

# ---------------------------------------------------------------- services outside the home trades
L("Looking for a mobile mechanic who can replace brake pads and rotors in my driveway. 2016 Civic. Fort Worth, Ridglea area. This week if possible.",
  "r/FortWorth", "other", "Fort Worth", "soon")
L("Math tutor for my 10th grader (Algebra 2), twice a week after school, in person around Sugar Land or online. Midterms in 3 weeks 😬",
  "Sugar Land Moms", "other", "Sugar Land", "soon")
L("Photographer recs for family photos in the bluebonnets, early April, 5 of us + grandma. Ennis or anywhere close.",
  "Ellis County Neighbors", "other", "Ennis", "soon")
L("Dog groomer that can handle a very anxious 90lb doodle? Current place asked us not to come back 😬 Grapevine",
  "Grapevine Neighbors", "other", "Grapevine", "soon")
L("Need a mobile notary today or tomorrow for a vehicle title transfer. Mansfield / Arlington line.",
  "Mansfield TX Word of Mouth", "other", "Mansfield", "soon")
L("Anyone know a seamstress who can hem a bridesmaid dress + take in the sides? Wedding is 3 weeks away. Garland/Rowlett area.",
  "Garland Neighbors Talk", "other", "Garland", "soon")
L("Looking for a CPA or tax preparer who handles small LLCs (one-man landscaping business). Want to get set up properly before tax season.",
  "DFW Small Business Owners", "other", None, "flexible")
L("Need a DJ for a 40th birthday, Saturday night March 8, backyard party in Cedar Hill. 80s/90s R&B mostly, no explicit stuff, grandma will be there.",
  "Cedar Hill Community", "other", "Cedar Hill", "soon")
L("Cracked iPhone 14 screen, need it fixed today or tomorrow. Who is legit near Stonebriar? Not the kiosk.",
  "Frisco Neighbors Connect", "other", "Stonebriar", "soon")
L("Date night sitter needed — two kids, 4 and 7, Friday nights, Lakewood. Must have references, CPR a plus.",
  "Nextdoor - Lakewood", "other", "Lakewood", "soon")
L("Looking for a cake lady for a dinosaur birthday cake, about 30 servings, Oct 12. Wylie/Murphy. 🦖",
  "Wylie Community Chat", "other", "Wylie", "soon")
L("Rock cracked my windshield on the way to work and the crack is spreading across. Mobile replacement preferred, I'm in McKinney.",
  "McKinney Word of Mouth", "other", "McKinney", "soon")
L("Need 2 bartenders for a backyard wedding reception, 120 guests, May 17, Aubrey. We supply the alcohol, just need licensed people to serve it.",
  "Denton County Recommendations", "other", "Aubrey", "soon")
L("Computer repair — laptop won't boot past the logo and it has all my kids' baby photos on it. Need someone trustworthy in Arlington who can at least recover the files.",
  "Arlington TX Buy Sell & Recommend", "other", "Arlington", "soon")
L("Boat lift motor quit with the boat halfway up. Need a dock/lift repair guy on Lake Granbury, we're up there every weekend.",
  "Lake Granbury Living", "other", "Lake Granbury", "soon")
L("Mobile hairstylist for my mom in memory care in Plano — she can't go to a salon anymore and she misses getting her hair done. Once a month.",
  "Plano Moms Connect", "other", "Plano", "soon")
L("Austin: need a videographer for a small elopement at Mount Bonnell, Nov 9. Just 1-2 hours.",
  "r/Austin", "other", "Austin", "soon")
L("Pflugerville - anyone have a dog walker for midday walks M-F? Going back to the office next month and my lab will eat the couch.",
  "Pflugerville Neighbors", "other", "Pflugerville", "soon")

# ---------------------------------------------------------------- comment replies that are leads
L("↪ Re: 'Anyone know a good gutter cleaning company in Allen?'\nFollowing! Ours are overflowing too, would love the name when you find one.",
  "Allen TX Moms & More", "cleaning", "Allen", "soon")
L("↪ Re: 'Foundation repair recs in Arlington?'\nWe need someone too, same exact cracks by the doors. Please share who you end up going with.",
  "Arlington TX Buy Sell & Recommend", "concrete", "Arlington", "soon")
L("↪ Re: 'Need a dryer vent cleaner'\nsame here, mine takes forever to dry. if someone comes out to your house can they do mine too? I'm 2 streets over",
  "Nextdoor - Highland Meadows", "cleaning", None, "soon")

# ---------------------------------------------------------------- Spanish leads
L("Ocupo un plomero q me cambie el boiler, ya tiene 15 años y esta goteando abajo. Zona de Oak Cliff porfa",
  "Latinos en Dallas", "plumbing", "Oak Cliff", "soon", "es")
L("Alguien conoce un electricista q cobre reasonable? ocupo poner un cargador para carro electrico en la cochera. Grand Prairie",
  "Comunidad Hispana Grand Prairie", "electrical", "Grand Prairie", "soon", "es")
L("Busco quien limpie el ducto de la secadora, ya tarda 2 horas en secar la ropa y se calienta mucho el cuarto. Garland xfa",
  "Hispanos en Garland", "cleaning", "Garland", "soon", "es")
L("El agua de la regadera no se va, nos quedamos parados en agua hasta q se baja 😩 alguien q venga a ver esta semana? Pleasant Grove",
  "Compra Venta Pleasant Grove", "plumbing", "Pleasant Grove", "soon", "es", sym=True)
L("Cada vez q prende el aire se bajan las luces de la casa y a veces se oye un zumbido en la caja de los breakers. Alguien de confianza en Irving q venga a checar?",
  "Latinos en Irving", "electrical", "Irving", "soon", "es", sym=True)
L("URGENTE se nos rompio un tubo en el baño y el agua esta saliendo por todos lados, ya cerramos la llave de afuera pero ocupo plomero HOY MISMO. Arlington cerca de Pioneer Pkwy",
  "Comunidad Hispana Arlington", "plumbing", "Arlington", "emergency", "es")
L("No tenemos aire y hace 103 afuera, tengo a mi mama de 80 años en la casa 😰 alguien q venga ahorita xfa? Mesquite",
  "Mexicanos en Mesquite", "hvac", "Mesquite", "emergency", "es", sym=True)
L("Se me quedaron las llaves adentro del carro con el niño adentro!! estamos en el Walmart de la Buckner, alguien cerrajero cerca???",
  "Latinos en Dallas", "locksmith", "Buckner", "emergency", "es")
L("Huele mucho a gas en la cocina, ya salimos de la casa y Atmos cerro el gas pero dicen q ocupamos a alguien q arregle la linea. Alguien q pueda venir hoy? Dallas 75217",
  "Latinos en Dallas", "plumbing", "Dallas 75217", "emergency", "es", sym=True)
L("Se cayo un arbol en el techo con la tormenta y esta entrando agua al cuarto de los niños, va a seguir lloviendo en la noche. Ocupo quien lo quite y ponga lona urgente. Cleburne",
  "Hispanos de Johnson County", "tree_service", "Cleburne", "emergency", "es", sym=True)
L("Ocupo alguien q limpie casa una vez a la semana, 4 recamaras 3 baños. McKinney. Que hable ingles o español no importa",
  "Mamás Latinas en DFW", "cleaning", "McKinney", "soon", "es")
L("Necesito quien me pinte la casa por dentro, 3 cuartos y la sala, antes del 15 de diciembre porq viene familia de Mexico. Fort Worth norte",
  "Mexicanos en Fort Worth", "painting", "Fort Worth", "soon", "es")
L("Alguien q haga cercas de madera? ocupo cambiar como 100 pies, no hay prisa, solo quiero precios. Lancaster",
  "Hispanos del Sur de Dallas", "fencing", "Lancaster", "flexible", "es")
L("Busco fotografo para los XV de mi hija, 22 de marzo en un salon en Pleasant Grove. Recomendaciones porfa 🙏",
  "Compra Venta Pleasant Grove", "other", "Pleasant Grove", "soon", "es")
L("Ocupo mecanico q venga a la casa, mi troca no prende, hace click click nomas. Balch Springs",
  "Mexicanos en Mesquite", "other", "Balch Springs", "soon", "es")
L("Necesito notario q hable español para unos papeles del carro, mañana si se puede. Dallas",
  "Latinos en Dallas", "other", "Dallas", "soon", "es")
L("Quien arregla secadoras? la mia prende y da vueltas pero no calienta nada. Alguien de confianza porfa",
  "Latinos en Irving", "appliance_repair", None, "soon", "es")
L("Tenemos una mancha cafe en el techo de la sala q cada vez q llueve se hace mas grande. Alguien q se suba a revisar? Duncanville",
  "Hispanos del Sur de Dallas", "roofing", "Duncanville", "soon", "es", sym=True)
L("Mi recibo de luz llego de $390 y el aparato de afuera no para nunca, la casa no baja de 78. A quien le hablo? Mesquite",
  "Mexicanos en Mesquite", "hvac", "Mesquite", "soon", "es", sym=True)
L("Busco quien ponga un drenaje frances en el patio, se encharca todo cuando llueve y ya se esta metiendo el agua al garage. Sachse",
  "Hispanos en Garland", "landscaping", "Sachse", "soon", "es")
L("↪ Re: 'Ocupo plomero en Garland'\nYo tambien ocupo uno!! el lavamanos no drena. Me pasan el numero porfa",
  "Hispanos en Garland", "plumbing", "Garland", "soon", "es")
L("Hola! ocupo cotizaciones para aislamiento en el atico, la casa se calienta muchisimo en el verano. Sin prisa. Rowlett",
  "Hispanos en Garland", "hvac", "Rowlett", "flexible", "es")
L("Alguien sabe de una muchacha q haga peinados a domicilio? es para la boda de mi prima el sabado. Fort Worth",
  "Mexicanos en Fort Worth", "other", "Fort Worth", "soon", "es")
L("Ocupo roofer en Pasadena TX, el viento se llevo unas tejas y tengo q arreglar antes q llueva la otra semana",
  "Latinos en Houston", "roofing", "Pasadena", "soon", "es")
L("La puerta de la cochera sube como un pie y se regresa, y hace un ruido bien feo. Alguien q arregle eso en Lewisville?",
  "Latinos en Lewisville y Denton", "garage_door", "Lewisville", "soon", "es", sym=True)
L("Alguien q fumigue cucarachas? Ya intente de todo y siguen saliendo en la cocina 🤮 Dallas cerca de la Jefferson",
  "Latinos en Dallas", "pest_control", "Dallas", "soon", "es")
L("San Antonio: ocupo quien me instale una lavadora de platos nueva, ya la tengo comprada nomas falta instalarla",
  "Latinos en San Antonio", "appliance_repair", "San Antonio", "soon", "es")
L("necesito alguien para un deep cleaning antes del move out, apartamento de 2 recamaras en Irving, entrego las llaves el 31",
  "Latinos en Irving", "cleaning", "Irving", "soon", "es")
L("Buenas tardes, alguien me recomienda un tutor de matematicas para mi hijo de 5to grado? va muy mal y quiero ayudarlo antes del STAAR. Garland",
  "Mamás Latinas en DFW", "other", "Garland", "soon", "es")

# ---------------------------------------------------------------- ads and self-promotion
N("Need a plumber? 🚰 Family owned, licensed & insured, no trip charge in Garland, Rowlett, Sachse. Call Ramirez Plumbing 972-555-0102",
  "Garland Neighbors Talk", "contractor_ad", "plumbing", "Garland")
N("Is your dryer taking forever to dry? That's a clogged vent and a fire hazard! 🔥 We clean dryer vents for $89 this month only. DM us!",
  "McKinney Word of Mouth", "contractor_ad", "cleaning", None)
N("↪ Re: 'Looking for a handyman in Plano'\nHi Jessica! I'm a handyman in Plano, 10+ years, sent you a DM 😊",
  "r/Plano", "contractor_ad", "handyman", "Plano")
N("My husband does fences and decks, he's very reasonable and does clean work. Message me for his number! We're based in Burleson",
  "Crowley / Burleson Community", "contractor_ad", "fencing", "Burleson")
N("Looking for work! Licensed electrician, just moved to the area from Oklahoma, available evenings and weekends for small jobs. Richardson/Garland",
  "Richardson Residents", "contractor_ad", "electrical", "Richardson")
N("Thinking about selling in the spring? 🏡 I'll give you a FREE home valuation, no obligation. Your Frisco neighbor & realtor, Dana",
  "Frisco Neighbors Connect", "contractor_ad", "other", "Frisco")
N("Spring special!!! 🌼 Aeration + overseeding $149 for yards under 6k sq ft. Serving Keller, Roanoke, Trophy Club. Text 817-555-0155",
  "Keller / Southlake Recommends", "contractor_ad", "landscaping", "Keller")
N("Gutter guards installed — never climb a ladder again. Free inspection, lifetime warranty. Serving all of DFW.",
  "DFW Homeowners Network", "contractor_ad", "roofing", "DFW")
N("Hey neighbors! My son (17) is starting a window cleaning business to save for college. $5/pane outside, $8 inside+out. Lake Highlands area. Please support a local kid! 🧽",
  "Nextdoor - Lake Highlands", "contractor_ad", "cleaning", "Lake Highlands")
N("Worried about the next ice storm? Ask us about standby generators — authorized Generac dealer, financing available. Mention this post for a free transfer switch inspection.",
  "DFW Homeowners Network", "contractor_ad", "electrical", None)
N("New EV? We install Level 2 chargers same week. Tesla certified. McKinney, Allen, Frisco, Prosper.",
  "McKinney Word of Mouth", "contractor_ad", "electrical", "McKinney")
N("Do you have high electric bills and hot upstairs rooms?? Your attic insulation may be the problem. Free attic inspections this week only in Mansfield!",
  "Mansfield TX Word of Mouth", "contractor_ad", "hvac", "Mansfield")
N("Mobile dog grooming now booking December appointments! 🐩 We come to you — Southlake/Grapevine/Colleyville.",
  "Grapevine Neighbors", "contractor_ad", "other", "Southlake")
N("Tutoring available — certified HS math teacher, Algebra through Calc. $50/hr in person in Allen or online.",
  "Allen TX Moms & More", "contractor_ad", "other", "Allen")
N("↪ Re: 'Need a mobile mechanic in Fort Worth'\nI do mobile brakes, batteries, alternators. 15 yrs experience. Call or text Mike 817-555-0124",
  "r/FortWorth", "contractor_ad", "other", "Fort Worth")
N("Got water pooling in your yard? French drains, regrading, dry creek beds. Licensed irrigator serving Denton County.",
  "Denton County Recommendations", "contractor_ad", "landscaping", "Denton County")
N("Bounce houses + tables + chairs for your next party 🎈 Delivery included within 10 miles of Cedar Hill",
  "Cedar Hill Community", "contractor_ad", "other", "Cedar Hill")
N("Anyone need their house cleaned? I have 2 openings on Tuesdays. Reliable, bring my own supplies, references available. Carrollton/Farmers Branch",
  "Carrollton Community", "contractor_ad", "cleaning", "Carrollton")
N("FOUNDATION PROBLEMS? DOORS STICKING? CRACKS IN YOUR BRICK? CALL THE SLAB DOCTORS FOR A FREE EVAL 214-555-0190",
  "DFW Homeowners Network", "contractor_ad", "concrete", None)
N("↪ Re: 'AC blowing warm air in Plano, help!'\nWe have a tech in your area right now, can be there in 45 min. Check your messages!",
  "Plano Moms Connect", "contractor_ad", "hvac", "Plano")
N("Moving soon? Two guys and a 26ft truck, $95/hr, 2 hr minimum. We haul junk too. Arlington based.",
  "Arlington TX Buy Sell & Recommend", "contractor_ad", "moving", "Arlington")
N("Sugar Land / Missouri City — pool service specials, weekly cleaning from $120/mo. Text 281-555-0117",
  "Sugar Land Moms", "contractor_ad", "pool_service", "Sugar Land")
N("My brother-in-law is a roofer and he is NOT a storm chaser, been in Rockwall 20 years. DM me if you want his info after this hail.",
  "Rockwall Area Neighbors", "contractor_ad", "roofing", "Rockwall")
N("Hi neighbors 👋 I'm a licensed notary and do mobile signings evenings & weekends in Mansfield/Midlothian. Just $25 travel fee.",
  "Mansfield TX Word of Mouth", "contractor_ad", "other", "Mansfield")
N("AC TUNE UP $69!!! DONT WAIT TIL IT BREAKS IN JULY. CALL COOL BREEZE 817-555-0133",
  "Haltom City Hometown", "contractor_ad", "hvac", None)

# ---------------------------------------------------------------- recommendations given
N("↪ Re: 'Need an electrician in Richardson'\nUse Bright Line Electric, they did our panel and were super clean and on time. Ask for Tony.",
  "Richardson Residents", "recommendation_given", "electrical", "Richardson")
N("↪ Re: 'Anyone know a good reading tutor?'\nMs. Harper does 1-on-1 reading tutoring after school, my daughter went up 2 levels this year. Not sure if she has openings.",
  "Prosper Families", "recommendation_given", "other", None)
N("PSA for anyone looking for a pool guy in Little Elm — Clear Water Kyle is the best we've had in 8 years. No, I'm not related, he just actually shows up.",
  "Little Elm Neighbors", "recommendation_given", "pool_service", "Little Elm")
N("↪ Re: 'Dryer vent cleaning recs?'\nWe used Vent Pros Dallas last spring, $110, they pulled out a lint ball the size of a cat 😳 highly recommend",
  "Nextdoor - Lake Highlands", "recommendation_given", "cleaning", None)
N("↪ Re: 'Who does French drains in Keller?'\nOur landscaper put one in two years ago and our yard is finally dry. Message me and I'll send his name (I'm not him lol)",
  "Keller / Southlake Recommends", "recommendation_given", "landscaping", "Keller")
N("Shoutout thread: drop your favorite small local businesses in Grand Prairie! I'll start: Lopez Garage Doors, fixed our spring in an hour and were super fair.",
  "Grand Prairie Neighbors", "recommendation_given", "garage_door", "Grand Prairie")
N("↪ Re: 'Good mechanic in Denton?'\nAuto Doc on Loop 288. Honest, told me I didn't need the $900 repair the dealer quoted.",
  "Denton County Recommendations", "recommendation_given", "other", "Denton")
N("↪ Re: 'Photographer for newborn pics?'\nLauren Grey Photography! She did ours in our living room and they're perfect 😍",
  "Plano Moms Connect", "recommendation_given", "other", None)
N("↪ Re: 'Tree trimming in Arlington'\nThird vote for Branch Brothers. They cleaned up everything, even raked the leaves.",
  "Arlington TX Buy Sell & Recommend", "recommendation_given", "tree_service", "Arlington")
N("For everyone asking about notaries — the shipping store on Preston does it for $10 a stamp, no appointment needed.",
  "r/Plano", "recommendation_given", "other", "Preston")
N("↪ Re: 'Houston plumber recs'\nBayou City Rooter, they came out on a Sunday for our main line and didn't charge emergency rates.",
  "r/houston", "recommendation_given", "plumbing", "Houston")
N("↪ Re: 'Need a plumber in Mesquite ASAP'\nCall Ramirez Plumbing, they came same day for us last month.",
  "Mesquite TX Community Board", "recommendation_given", "plumbing", "Mesquite")
N("If anyone needs a seamstress, Alterations by Mai in the Hillcrest Village shopping center fixed my wedding dress in 2 days. Lovely lady.",
  "Nextdoor - Preston Hollow", "recommendation_given", "other", "Hillcrest Village")

# ---------------------------------------------------------------- reviews and scam warnings
N("Review: had Top Tier HVAC out to replace our capacitor. Quoted $95 on the phone, charged $425 at the door. Beware.",
  "Haltom City Hometown", "review", "hvac", None)
N("Huge thank you to Garcia Fence for rebuilding our fence in one day after the storm. Crew was polite and cleaned up everything. 10/10.",
  "Grand Prairie Neighbors", "review", "fencing", None)
N("SCAM WARNING: guy going door to door in Wylie claiming to be from 'the city', says your tree is touching the power lines and has to be cut today for $600 cash. The city doesn't do that. Don't pay him.",
  "Wylie Community Chat", "review", "tree_service", "Wylie")
N("Just want to warn everyone about a roofing company calling itself 'Lone Star Restoration' — took my deductible and disappeared. Filed with the AG. Lewisville.",
  "Lewisville Local", "review", "roofing", "Lewisville")
N("Had my windows cleaned for the first time ever by Shine Squad, $275 for a 2-story. Honestly worth it, I can see the lake again lol. Rowlett",
  "Rowlett Lake Living", "review", "cleaning", "Rowlett")
N("Update for those following my sewer saga: Apex Drain scoped the line, found roots, jetted it, $380 total. Working great. Would use again.",
  "Nextdoor - Lakewood", "review", "plumbing", None)
N("Our Generac got installed last month by Volt Brothers and it kicked on within 10 seconds during last night's outage. Best money we've spent on this house.",
  "Frisco Neighbors Connect", "review", "electrical", None)
N("1 star for a Frisco dog groomer I won't name yet. Picked up my dog with a shaved patch and a cut on her ear and they said 'it happens.' 😡",
  "Frisco Neighbors Connect", "review", "other", "Frisco")
N("Heads up: someone's posting 'ANY junk hauled $50' ads with stolen photos, then demanding $300 once your stuff is on the truck. Happened to my neighbor in Pearland.",
  "Pearland Community Forum", "review", "moving", "Pearland")
N("Attic insulation update: got blown-in R-38 from Comfort Attic for $1,650. Upstairs is 5 degrees cooler already. Sharing since people asked.",
  "Richardson Residents", "review", "hvac", None)
N("Phoenix folks: the guy from SunCoast Pool Repair was amazing, diagnosed my pump in 10 minutes and didn't try to sell me a new one.",
  "Phoenix Home Owners", "review", "pool_service", "Phoenix")
N("ok so I finally hired the EV charger guy everyone recommends here, great work but the permit took 3 weeks. just fyi if you're planning one.",
  "McKinney Word of Mouth", "review", "electrical", None)
N("Heads up: search 'locksmith near me' and half the top results are call centers pretending to be local. Quoted me $39 on the phone, charged $280 to drill my lock. Use someone with an actual address.",
  "Irving Texas Community", "review", "locksmith", None)
N("Gutter guards: we got the mesh ones from Clear Gutter Co in Keller and they survived their first fall with zero clogs. Not cheap ($2,400) but worth it.",
  "Keller / Southlake Recommends", "review", "roofing", "Keller")

# ---------------------------------------------------------------- DIY questions
N("How hard is it to replace a toilet flapper yourself? Mine runs every 20 min. Going to Home Depot tonight.",
  "Garland Neighbors Talk", "diy_question", "plumbing", None)
N("Dryer takes forever — is cleaning the vent something I can do myself with one of those brush kits from Amazon? Anyone tried one?",
  "Lewisville Local", "diy_question", "cleaning", None)
N("What's the best way to fill nail holes before painting? Getting the house ready to list and doing it all ourselves.",
  "Carrollton Community", "diy_question", "painting", None)
N("Can I put a French drain in myself or is it really a pro job? I have a free weekend and a rented trencher lol",
  "Saginaw TX Community", "diy_question", "landscaping", None)
N("GFCI in the bathroom keeps tripping when I use the hair dryer. Is that a bad outlet? I'm pretty handy, just want to know what to buy.",
  "Lake Dallas / Corinth Neighbors", "diy_question", "electrical", None)
N("What days are we allowed to run sprinklers in Fort Worth right now? Twice a week still?",
  "r/FortWorth", "diy_question", "landscaping", "Fort Worth")
N("Lights flicker a little when the AC kicks on — is that normal for an older house? Just curious, it's been like that for years and nothing's ever happened.",
  "Oak Cliff Neighbors", "diy_question", "electrical", None)
N("How do you get rid of ants in the kitchen without spraying poison? We have a toddler who licks everything.",
  "Plano Moms Connect", "diy_question", "pest_control", None)
N("Is blown-in insulation something you can DIY? Lowe's lends the blower free if you buy 20 bags, thinking of doing it over Thanksgiving break.",
  "Hurst Homeowners", "diy_question", "hvac", None)
N("Garage door is SO loud, what lube should I use on the rollers? White lithium or silicone?",
  "Nextdoor - Highland Meadows", "diy_question", "garage_door", None)
N("tub drain so slow we stand in water. anyone know a trick besides drano? trying not to pay a plumber 😅",
  "Denton County Recommendations", "diy_question", "plumbing", None)
N("How often should you change AC filters here? Every month seems like a lot.",
  "Wylie Community Chat", "diy_question", "hvac", None)
N("Dishwasher leaves standing water in the bottom. Where's the filter on a Whirlpool and how do I clean it? Trying YouTube first.",
  "Rowlett Lake Living", "diy_question", "appliance_repair", None)
N("How do I reprogram the garage door remotes? Just moved in and none of the three remotes the sellers left work.",
  "Celina Community", "diy_question", "garage_door", None)

# ---------------------------------------------------------------- price questions
N("What's a fair price for a 50 gal water heater install these days? Ours was done last week for $2,400 and my dad says that's crazy.",
  "Mesquite TX Community Board", "price_question", "plumbing", None)
N("Just curious what people paid for a whole home generator? Maybe next year, just budgeting for now.",
  "Frisco Neighbors Connect", "price_question", "electrical", None)
N("How much did your foundation repair end up costing? Ours was done last year for $8k and I'm wondering if we overpaid.",
  "Mansfield TX Word of Mouth", "price_question", "concrete", None)
N("What do y'all pay your house cleaner? Trying to figure out if I'm underpaying mine, she's been with us 3 years and I want to give her a raise. Cedar Park",
  "Cedar Park / Leander Moms", "price_question", "cleaning", "Cedar Park")
N("Ballpark for a level 2 EV charger install? Not buying the car until next year, just want to know what to budget.",
  "McKinney Word of Mouth", "price_question", "electrical", None)
N("Is $450 normal for gutter cleaning on a 2 story? Already paid, just wondering lol",
  "Flower Mound Community", "price_question", "cleaning", None)
N("What's the going rate for dog walking in Plano these days? My daughter wants to start doing it as a summer job.",
  "r/Plano", "price_question", "other", "Plano")
N("Curious what a tree removal costs for a big dead oak? We had ours taken down last month for $2,200 and the neighbor says we got ripped off.",
  "Arlington TX Buy Sell & Recommend", "price_question", "tree_service", None)

# ---------------------------------------------------------------- job offers
N("Need a helper for our roofing crew, $18/hr to start, must be able to climb. Text 469-555-0140. Mesquite",
  "Mesquite TX Community Board", "job_offer", "roofing", "Mesquite")
N("Electrician wanted — journeyman, residential service. Company truck, benefits, paid holidays. Plano-based company.",
  "r/Plano", "job_offer", "electrical", "Plano")
N("Hiring: HVAC install helper, no experience needed, we train. San Antonio, start Monday.",
  "San Antonio Home Help", "job_offer", "hvac", "San Antonio")
N("Looking for a part-time receptionist at our plumbing company in Garland, M-F 8-1. Bilingual a plus.",
  "Garland Neighbors Talk", "job_offer", "plumbing", "Garland")
N("Our landscaping crew needs a helper on weekends hauling brush and spreading mulch, $20/hr. Must have your own ride. McKinney",
  "McKinney Word of Mouth", "job_offer", "landscaping", "McKinney")
N("Our daycare in Allen is hiring a lead teacher for the 3s room. Apply in person, ask for Ms. Renee.",
  "Allen TX Moms & More", "job_offer", "other", "Allen")
N("Cleaning company seeking reliable cleaners, $17-20/hr, weekly pay, Frisco/Plano area. Must pass a background check.",
  "Frisco Neighbors Connect", "job_offer", "cleaning", "Frisco")
N("We're looking for a bookkeeper about 10 hrs/week for our pest control company in Arlington. QuickBooks experience required.",
  "Arlington TX Buy Sell & Recommend", "job_offer", "other", "Arlington")
N("Painter needed!! Experienced only, bring your own tools, long-term work for the right person. Denton",
  "Denton County Recommendations", "job_offer", "painting", "Denton")
N("Tow truck driver wanted, nights and weekends, CDL not required. Irving",
  "Irving Texas Community", "job_offer", "other", "Irving")
N("Now hiring window cleaners, part time, must be comfortable on ladders. $18–22/hr. Southlake",
  "Keller / Southlake Recommends", "job_offer", "cleaning", "Southlake")

# ---------------------------------------------------------------- resolved requests
N("UPDATE: found an HVAC guy, he's coming Tuesday. Thanks everyone for the recs!",
  "Balch Springs Community", "request", "hvac", None)
N("Edit: we're all set!! Neighbor's cousin fixed our garage door spring tonight. Thank you Lake Highlands 🙏",
  "Nextdoor - Lake Highlands", "request", "garage_door", "Lake Highlands")
N("↪ Re: 'Need a locksmith in Euless ASAP'\nThanks all, we got in! Someone came in 20 min.",
  "HEB Neighbors (Hurst Euless Bedford)", "request", "locksmith", "Euless")
N("Closing this out — hired a painter from this thread, starts next week. Thank you!",
  "Colleyville Connect", "request", "painting", None)
N("Got 4 quotes for the fence and went with the second one. Thanks for the help y'all, no more DMs please 😂",
  "Lancaster TX Neighbors", "request", "fencing", None)
N("Never mind on the photographer for Saturday, my cousin is going to do it. Thanks though!",
  "Ellis County Neighbors", "request", "other", None)
N("UPDATE on my no-AC post: unit is running again, tech found a fried capacitor. Thank you to everyone who DMed, we're good!",
  "Grand Prairie Neighbors", "request", "hvac", None)

# ---------------------------------------------------------------- spam
N("💸💸 Make $800/week working from home, no experience needed!! Click the link in my bio 💸💸",
  "Mesquite TX Community Board", "spam", None, None)
N("WE BUY HOUSES CASH any condition!!! Close in 7 days, call 214-555-0199",
  "Oak Cliff Neighbors", "spam", None, None)
N("Congrats, you've been selected for a free $500 home improvement gift card, claim here ➡ bit.ly/xx-claim-now",
  "Richardson Residents", "spam", None, None)
N("Hi everyone I'm selling essential oils that help with allergies and stress, DM me for my catalog 🌿",
  "Lewisville Local", "spam", None, None)
N("Lonely? Meet singles in your area tonight 😘",
  "Haslet / Justin Community", "spam", None, None)
N("Crypto mentor here, turned $200 into $9k in a month, ask me how 📈",
  "r/Austin", "spam", None, None)

# ---------------------------------------------------------------- off-topic
N("Lost dog near Arapaho and Coit, black lab mix, red collar, answers to Benny. Please call if you see him!",
  "Richardson Residents", "off_topic", None, "Arapaho and Coit")
N("Reminder: HOA dues are due by the 15th. Late fees apply after that.",
  "Nextdoor - Highland Meadows", "off_topic", None, None)
N("Anyone else's power out in Carrollton? Whole street is dark.",
  "Carrollton Community", "off_topic", None, "Carrollton")
N("Best tacos in Oak Cliff? Visiting family this weekend and want to impress them.",
  "Oak Cliff Neighbors", "off_topic", None, "Oak Cliff")
N("Garage sale Saturday 7-noon, 1412 Maple Ridge Dr. Baby stuff, tools, furniture!",
  "Little Elm Neighbors", "off_topic", None, "1412 Maple Ridge Dr")
N("Just finished retiling our guest bath myself after 3 weekends 😅 never again but it looks amazing!",
  "Prosper Families", "off_topic", "flooring", None)
N("Landlord PSA: if your tenant says the AC isn't working in August, that's a today problem, not a next week problem. State law says you have to fix it. Don't be that landlord.",
  "DFW Landlords & Investors", "off_topic", "hvac", None)
N("Selling our old fridge, works great, $200, you haul. Mesquite.",
  "Mesquite TX Community Board", "off_topic", None, "Mesquite")
N("Traffic on 75 is a nightmare this morning, wreck at Spring Valley. Go around.",
  "Richardson Residents", "off_topic", None, "75")
N("Looking for a 2BR apartment under $1,400 in Richardson, anyone know of any openings?",
  "Richardson Residents", "off_topic", None, "Richardson")
N("Anyone want to carpool to the Rangers game Friday from Arlington Highlands?",
  "Arlington TX Buy Sell & Recommend", "off_topic", None, "Arlington Highlands")
N("Does anyone know when the Christmas tree lot at the church on Hwy 380 opens?",
  "Princeton TX Community", "off_topic", None, "Hwy 380")
N("My husband's a plumber and he says PLEASE stop pouring bacon grease down the drain 😂 he spent all of Thanksgiving weekend on clogs.",
  "Wylie Community Chat", "off_topic", "plumbing", None)
N("Coyote spotted on the greenbelt behind Shady Brook around 6am, keep small pets in!",
  "Nextdoor - Highland Meadows", "off_topic", None, "Shady Brook")
N("me after paying the AC repair guy in July: [picture of an empty wallet] 😂",
  "Sunnyvale TX Neighbors", "off_topic", "hvac", None)
N("Looking for a used truck under $10k, F-150 or Silverado preferred. Cash buyer. Mansfield",
  "Mansfield TX Word of Mouth", "off_topic", None, "Mansfield")
N("Anyone in Chandler know if recycling pickup is delayed this week because of the holiday?",
  "Chandler AZ Neighbors", "off_topic", None, "Chandler")
N("Found a set of keys at Breckinridge Park by the soccer fields, Toyota fob + house keys. DM me to describe.",
  "Richardson Residents", "off_topic", None, "Breckinridge Park")
N("Sunset over Lake Ray Hubbard tonight was unreal 😍",
  "Rowlett Lake Living", "off_topic", None, "Lake Ray Hubbard")
N("Austin: anyone know a good brunch spot near the Domain that takes reservations for 12?",
  "r/Austin", "off_topic", None, "Austin")
N("City just raised water rates AGAIN. Anyone going to the council meeting Tuesday? Frisco",
  "Frisco Neighbors Connect", "off_topic", None, "Frisco")
N("Looking for a roommate, 2BR in Uptown, $1,100/mo, I'm quiet and have a cat.",
  "Oak Lawn / Uptown Neighbors", "off_topic", None, "Uptown")
N("Does the city of Plano pick up bulk trash like old mattresses or do I need to schedule it?",
  "r/Plano", "off_topic", None, "Plano")

# ---------------------------------------------------------------- Spanish non-leads
N("Ocupa electricista?? Hacemos paneles, contactos, abanicos de techo, lo que ocupe. Precios justos, 15 años de experiencia. Llame o mande texto 214-555-0137",
  "Latinos en Dallas", "contractor_ad", "electrical", None, "es")
N("Mi esposo hace trabajos de plomeria, boilers, drenajes, lo que ocupen. Mandenme DM 🙂 Trabajamos en todo Dallas",
  "Latinos en Dallas", "contractor_ad", "plumbing", "Dallas", "es")
N("Busco trabajo de limpieza de casas, tengo experiencia y referencias, area de Irving y Las Colinas",
  "Latinos en Irving", "contractor_ad", "cleaning", "Irving", "es")
N("Se busca ayudante de roofing con experiencia, pago semanal, trabajo en todo el metroplex. Llamar al 469-555-0112",
  "Trabajos y Servicios DFW", "job_offer", "roofing", None, "es")
N("Ocupo plomero con experiencia para trabajar con nosotros, de preferencia con licencia de journeyman, buen pago. Fort Worth",
  "Mexicanos en Fort Worth", "job_offer", "plumbing", "Fort Worth", "es")
N("Les recomiendo NO contratar a un tal 'Pepe Roofing', le di $2,000 de deposito y nunca volvio. Ya van 3 semanas y no contesta 😡 Ojo raza",
  "Hispanos del Sur de Dallas", "review", "roofing", None, "es")
N("↪ Re: 'Alguien sabe de un mecanico bueno en Oak Cliff?'\nDon Ramiro en la Jefferson, es honesto y no cobra de mas. Digale q va de parte de Lupita",
  "Latinos en Dallas", "recommendation_given", "other", "Oak Cliff", "es")
N("↪ Re: 'Ocupo quien limpie alfombras'\nYo use a Limpiezas Gaby el mes pasado y quede bien contenta, su num es 972-555-0148",
  "Hispanos en Garland", "recommendation_given", "cleaning", None, "es")
N("Alguien sabe como se le cambia el filtro al aire? Donde esta? es mi primera casa jaja",
  "Mamás Latinas en DFW", "diy_question", "hvac", None, "es")
N("Cuanto cobran mas o menos por cambiar un boiler de 40 galones? nomas para saber, el mio todavia funciona",
  "Mexicanos en Mesquite", "price_question", "plumbing", None, "es")
N("Gracias a todos ya encontre plomero, ya quedo arreglado 🙏 pueden borrar mi post",
  "Hispanos en Garland", "request", "plumbing", None, "es")
N("Se perdio mi perrito chihuahua cafe en la Buckner y Lake June, responde a Canelo. Porfa si lo ven avisen 😢",
  "Latinos en Dallas", "off_topic", None, "Buckner y Lake June", "es")
N("Vendo lavadora y secadora Samsung, funcionan bien, $350 las dos. Garland",
  "Hispanos en Garland", "off_topic", None, "Garland", "es")
N("GANA $500 AL DIA DESDE TU CASA!!! 💰💰 mandame mensaje y te explico, no es estafa",
  "Compra Venta Pleasant Grove", "spam", None, None, "es")
N("Alguien sabe si hay apartamentos de 2 recamaras q acepten ITIN en Irving?",
  "Latinos en Irving", "off_topic", None, "Irving", "es")
N("¿Su casa necesita una limpieza profunda? 🧽 Hacemos deep cleaning, move out, move in. Llamenos! 817-555-0166 Fort Worth y alrededores",
  "Mexicanos en Fort Worth", "contractor_ad", "cleaning", "Fort Worth", "es")
N("Quiero agradecer a Aire Frio DFW, vinieron el domingo y me arreglaron el aire en una hora, buen precio. 100% recomendados",
  "Comunidad Hispana Arlington", "review", "hvac", None, "es")
N("Cuidado!! andan unos tocando puertas en Pleasant Grove diciendo q revisan el techo gratis por el granizo y luego te hacen firmar un contrato. No firmen nada!",
  "Compra Venta Pleasant Grove", "review", "roofing", "Pleasant Grove", "es")
N("Como destapo el lavamanos sin llamar plomero? ya le eche agua caliente y vinagre y nada",
  "Mamás Latinas en DFW", "diy_question", "plumbing", None, "es")
N("Hola soy pintor, busco trabajo, interiores y exteriores, tengo mi propia herramienta. Arlington Mansfield Grand Prairie",
  "Comunidad Hispana Arlington", "contractor_ad", "painting", "Arlington", "es")
N("Alguien sabe a q hora abre el consulado en Houston los sabados?",
  "Latinos en Houston", "off_topic", None, "Houston", "es")
N("Busco muchacha para ayudar en la limpieza de casas, lunes a viernes, pago $15 la hora, tiene q tener carro. Frisco",
  "Trabajos y Servicios DFW", "job_offer", "cleaning", "Frisco", "es")
N("Cuanto les cobraron por poner cerca de madera? Estamos juntando para el proximo año",
  "Hispanos del Sur de Dallas", "price_question", "fencing", None, "es")
N("Arreglamos puertas de cochera, resortes, motores, cables. Servicio el mismo dia 🚪 Dallas, Garland, Mesquite 972-555-0173",
  "Trabajos y Servicios DFW", "contractor_ad", "garage_door", "Dallas", "es")
N("ACTUALIZACION: ya vino el electricista q me recomendaron, todo quedo bien. Gracias!!",
  "Latinos en Irving", "request", "electrical", None, "es")
N("Hoy hay mucho trafico en la 35 por un accidente cerca de la salida de Walnut Hill, tomen otra ruta",
  "Latinos en Dallas", "off_topic", None, "35", "es")
N("Cortamos arboles, podamos, sacamos troncos. Free estimates! Trabajamos en Fort Worth, Haltom City, Watauga. Pregunte por Chuy 817-555-0129",
  "Mexicanos en Fort Worth", "contractor_ad", "tree_service", "Fort Worth", "es")
N("Para los q preguntaban por alguien q arregle refris, el señor Tomas vino a mi casa en Carrollton y me lo dejo como nuevo, 469-555-0181",
  "Latinos en Lewisville y Denton", "recommendation_given", "appliance_repair", "Carrollton", "es")
N("Ocupan quien les corte el zacate? 🌱 Yo y mi hijo cortamos, orillamos y soplamos, $40 casas normales. Cedar Hill, DeSoto, Duncanville",
  "Hispanos del Sur de Dallas", "contractor_ad", "landscaping", "Cedar Hill", "es")
N("Alguien sabe de un buen restaurante de mariscos en Garland? es el cumple de mi suegra",
  "Hispanos en Garland", "off_topic", None, "Garland", "es")

OUTSIDE_DFW = {"Katy", "Houston Heights", "San Antonio", "Round Rock", "Mesa", "Marietta",
               "Kennesaw", "Austin", "Pflugerville", "houston", "Houston", "Pasadena",
               "Phoenix", "Sugar Land", "Cypress", "Sherman", "Conroe", "Pearland",
               "Chandler", "Cedar Park", "Killeen"}


def main():
    rng = random.Random(20240604)
    posts = list(POSTS)
    rng.shuffle(posts)
    out = POSTS_FILE
    keys = ["id", "text", "group_name", "kind", "is_lead", "category", "location",
            "urgency", "language"]
    with out.open("w", encoding="utf-8") as f:
        for i, p in enumerate(posts, 1):
            row = {"id": f"b4-{i:03d}"}
            row.update({k: p[k] for k in keys[1:]})
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    leads = [p for p in posts if p["is_lead"]]
    sym = [p for p in leads if p["_sym"]]
    print(f"wrote {len(posts)} posts to {out}")
    print(f"symptom-only leads: {len(sym)} (es {sum(p['language']=='es' for p in sym)}, "
          f"emergencies {sum(p['urgency']=='emergency' for p in sym)})")
    print(f"posts outside DFW: {sum(p['location'] in OUTSIDE_DFW for p in posts)}")
    print(f"distinct group names: {len(set(p['group_name'] for p in posts))}")


if __name__ == "__main__":
    main()
