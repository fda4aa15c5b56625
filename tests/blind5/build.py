#!/usr/bin/env python3
"""Build blind5_posts.jsonl from the hand-written posts below.

Each post starts with a header line
    @@ kind | category | location | urgency | language | group_name
("-" means null) followed by the post text (may span several lines).
is_lead is true exactly when urgency is set.
Posts are shuffled with a fixed seed and ids b5-001... are given out in shuffled order.
"""
import json
import random
from pathlib import Path

DATA = r'''
@@ request | plumbing | Richardson | soon | en | Richardson Neighbors
Looking for a plumber who can replace a water heater this week. Ours is 14 years old and weeping a little from the bottom, not flooding yet. 40 gal gas. Richardson near Arapaho and Custer. Who have you actually used?
@@ request | electrical | Frisco | flexible | en | Frisco Moms & Families
Any recs for an electrician to put in a Level 2 EV charger in our garage? Just got the car and we're charging off a regular outlet which is fine for now. Frisco, Phillips Creek Ranch. Would like 2-3 quotes.
@@ request | cleaning | - | soon | en | Nextdoor · Lake Highlands
Need someone to clean our dryer vent. It runs up through the roof and hasn't been touched since we bought the house in 2017. Prefer someone who actually does this for a living, not a random guy with a leaf blower lol
@@ request | landscaping | Rowlett | flexible | en | Rowlett Sachse Wylie Neighbors
Who does French drains? Backyard turns into a pond every time it rains and the water is creeping toward the slab. Rowlett, off Dalrock. Just collecting quotes right now, want it done before the spring storms.
@@ request | hvac | Keller | soon | en | Keller Southlake Colleyville Moms
Recommendations for attic insulation?? Upstairs is 84 at night even with the AC running nonstop and our AC tech said the blown-in up there is maybe 4 inches. Keller. Hoping to get it done in the next couple weeks before it gets really hot.
@@ request | electrical | Pearland | flexible | en | Houston Homeowners Network
After Beryl we are DONE. Thinking about a whole-house standby generator. Who installed yours and would you use them again? Pearland/Friendswood. Not in a huge hurry, just want it in before next hurricane season.
@@ request | cleaning | Highland Park | soon | en | Park Cities Neighbors
Window cleaning — need inside and out on a two story, about 30 windows plus the french doors. Having family in for a graduation on the 18th. Highland Park. Please only reply if you've used them yourself 🙏
@@ request | roofing | - | flexible | en | Collin County Homeowners
gutter guards worth it?? if so who installs them around here. so tired of climbing the ladder every fall with these oaks
@@ request | plumbing | Flower Mound | flexible | en | Lewisville Flower Mound Neighbors
Does anyone have a water softener company they like? Hard water is wrecking our faucets and the glass shower door. Flower Mound. Would want install plus whatever maintenance they offer. Not interested in a 3 hour kitchen-table sales pitch.
@@ request | plumbing | Bastrop County | soon | en | r/austin
Need our septic pumped. It's been about 4 years and the alarm light came on yesterday (nothing backing up inside, yet). Bastrop County, outside Elgin. Who's reasonable and actually shows up when they say?
@@ request | fencing | Allen | soon | en | Allen TX Neighbors
Need a fence company to replace about 120 ft of cedar, 6 ft board on board. Neighbor is splitting the cost with us. Allen, near Twin Creeks. HOA approval already in hand so we're ready to go.
@@ request | painting | - | soon | en | DFW Home Services Recommendations
Interior painter needed — 3 bedrooms and a hallway. Walls only, we're fine with the builder white ceilings. We move in on the 1st so would love it done the week before.
@@ request | tree_service | Alamo Heights | flexible | en | San Antonio Homeowners
Arborist recommendation? Big live oak in front has some dead limbs hanging over the driveway. Want it trimmed properly, not butchered. Alamo Heights. Whenever they have an opening is fine.
@@ request | pool_service | Prosper | soon | en | Prosper Celina Neighbors
Looking for weekly pool service in Prosper. Our guy retired 😢 Saltwater, roughly 18k gallons. Would like someone starting this month.
@@ request | garage_door | Mansfield | soon | en | Mansfield TX Neighbors
Garage door spring snapped last night with a bang that scared the cat half to death. Door is down and the car's in the driveway so not an emergency, but I need it fixed this week. Mansfield. Who's honest? I've heard horror stories about upselling a whole new door.
@@ request | concrete | Carrollton | flexible | en | Carrollton/Farmers Branch Connect
Need quotes on extending our back patio, roughly 12x20, plain broom finish. Carrollton. Open to stamped if it's not crazy expensive.
@@ request | pest_control | Coppell | soon | en | Coppell Community
Anyone know a company that does bee removal? There's a swarm going into the soffit right above our back door. I'd rather they get relocated than killed if possible. Coppell.
@@ request | flooring | Garland | flexible | en | Garland TX Community Board
LVP install recs? Pulling up carpet in the living room + 2 bedrooms, around 700 sq ft. We'd buy the flooring ourselves, just need labor. Garland. Getting quotes for next month.
@@ request | handyman | Bedford | soon | en | Hurst Euless Bedford (HEB) Neighbors
Need a handyman for a list of small stuff: mount 2 TVs, patch a couple doorknob holes in the drywall, swap a bathroom vanity light. Bedford. Sometime next week ideally.
@@ request | appliance_repair | Duncanville | soon | en | Cedar Hill DeSoto Duncanville Neighbors
Appliance repair for a Whirlpool washer that won't spin — drains fine, then just sits there humming. Duncanville. Anybody you'd trust in your house?
@@ request | moving | Denton | soon | en | Denton County Neighbors
Need junk removal for a garage cleanout. Old sectional, a treadmill, a pile of boards, like 15 old paint cans. Denton. Hoping for this Saturday.
@@ request | locksmith | Euless | soon | en | Hurst Euless Bedford (HEB) Neighbors
Just closed on a house in Euless 🎉 and want all the locks rekeyed before we move stuff in. 3 exterior doors + garage entry. Locksmith recs?
@@ request | pressure_washing | Sugar Land | flexible | en | Houston Homeowners Network
Who do y'all use for pressure washing? Driveway, front walk and the back patio are green and slimy. Sugar Land. No rush at all.
@@ request | remodeling | Lakewood | flexible | en | East Dallas Neighbors
Starting to collect bids for a hall bathroom remodel — tub out, walk-in shower in, new vanity, tile floor. 1950s house in Lakewood. Looking at late summer. Contractors you've actually hired please, not your cousin lol
@@ request | hvac | Waxahachie | soon | en | Waxahachie Community
Need someone to clean the air ducts. Just bought an older house in Waxahachie, previous owners had 3 dogs and smoked inside. Want it done before we move in on the 22nd.
@@ request | electrical | - | soon | en | Mesquite Word of Mouth
ELECTRICIAN NEEDED TO ADD 4 CAN LIGHTS IN THE LIVING ROOM AND SWAP OUT A CEILING FAN. PREFER SOMEONE WHO CAN COME THIS WEEK. THANK YOU
@@ request | roofing | Hurst | soon | en | Hurst Euless Bedford (HEB) Neighbors
BUMP — still looking for a roofer in Hurst. Insurance adjuster comes on the 9th for the hail claim and I want my own roofer there with him. Local only please, no storm chasers knocking on my door.
@@ request | landscaping | Little Elm | soon | en | Little Elm & The Colony Neighbors
Sprinkler repair — 2 zones won't come on at all and one head on zone 4 is a geyser. Little Elm. Any irrigation guy you like?
@@ request | cleaning | Mesa | flexible | en | Phoenix Valley Neighbors
Looking for a biweekly house cleaner in Mesa. 3 bed 2 bath, 2 kids, 1 very shedding husky. Would start whenever works for them.
@@ request | tree_service | Cedar Hill | soon | en | Cedar Hill DeSoto Duncanville Neighbors
Need a dead tree taken down, maybe 35 ft, leaning a bit toward the neighbor's fence. Cedar Hill. Want it gone before the next storm honestly.
@@ request | electrical | Forney | flexible | en | Kaufman County Community
Getting quotes for solar panels. Please do NOT DM me if you're a sales rep. I want to hear from homeowners in Forney who are happy with whoever did their install.
@@ request | roofing | Plano | soon | en | Plano Neighbors Connect
Gutter on the back of the house pulled away from the fascia and is just hanging there. Need someone to reattach or replace that section. Plano, near Legacy and Coit.
@@ request | cleaning | Mesquite | soon | en | Mesquite Word of Mouth
↪ Re: 'Anyone have a good dryer vent cleaning company in Mesquite?'
Following!! Ours takes 2 cycles to dry a load of towels, pretty sure we need the same thing
@@ request | concrete | Keller | soon | en | Keller Southlake Colleyville Moms
↪ Re: 'Foundation repair recs? Keller'
Commenting so I see the answers — we have a crack over the pantry door that keeps getting longer, need someone out to look at ours too
@@ request | plumbing | Garland | soon | en | Garland TX Community Board
Kitchen sink backs up into the other side every time the dishwasher runs. Tried the plunger and a whole bottle of Drano. Garland. Who can come out this week?
@@ request | hvac | Arlington | soon | en | Arlington TX Buy Sell Trade & Talk
Upstairs thermostat is set to 72, says 78, and the unit runs all day long but it never gets below that. Downstairs is fine. Arlington, near UTA. Who can come take a look?
@@ request | cleaning | - | soon | en | Frisco Moms & Families
Our dryer takes 3 full cycles now and the laundry room gets crazy hot. Dryer is only 2 years old. Outside, the flap on the wall barely moves when it's running. Who do I even call for this?
@@ request | electrical | Mesquite | soon | en | Mesquite Word of Mouth
Half the outlets in the living room and the back bedroom quit working yesterday. Breakers aren't tripped (flipped them all anyway). Mesquite. Need someone to figure out what's going on.
@@ request | roofing | Irving | soon | en | Irving Las Colinas Neighbors
Brown water stain on the ceiling in the upstairs closet. It only gets bigger after it rains. Irving. Need someone to find where it's getting in.
@@ request | pest_control | Oak Cliff | soon | en | Oak Cliff Neighbors
Something is scratching and thumping in the attic every night around 4am. Sounds bigger than a mouse. Kids are freaked out. Oak Cliff. Who can come get it out?
@@ request | garage_door | - | soon | en | Allen TX Neighbors
garage door goes down about 2 feet then reverses and goes back up. cleaned the little sensors, lined them up, same thing. who do i call?? having to leave it wide open right now 🙄
@@ request | appliance_repair | Frisco | soon | en | Frisco Moms & Families
Fridge is freezing everything in the top part. Lettuce, milk, eggs all frozen solid, freezer side is normal. Samsung, 5 years old. Frisco. Anyone good with these that can come out?
@@ request | plumbing | Lewisville | soon | en | Lewisville Flower Mound Neighbors
Water bill went from $60 to $210 and nothing changed in our house. The little dial on the meter spins even with every faucet off. Lewisville. Need someone to find where it's going.
@@ request | concrete | Grand Prairie | flexible | en | Grand Prairie Community
Two doors upstairs won't latch anymore and there's a diagonal crack running up from the corner of the garage window. Grand Prairie. Want someone to come evaluate it. Not panicking yet but don't want it to get worse.
@@ request | landscaping | Wylie | soon | en | Rowlett Sachse Wylie Neighbors
Big dead strip of grass along the sidewalk, the rest of the yard is green. Walked the zones and the heads on that side barely pop up and just dribble. Wylie. Who fixes this kind of thing?
@@ request | hvac | Chandler | soon | en | Phoenix Valley Neighbors
Electric bill was $480 last month for a 1,900 sq ft house. The outside unit runs basically nonstop and the house still feels muggy. Chandler. Want someone to look at the system before it's 115 out.
@@ request | plumbing | Carrollton | soon | en | Carrollton/Farmers Branch Connect
We only get about 5 minutes of hot water now before it goes lukewarm. Used to be enough for two long showers back to back. Carrollton. Anyone you'd recommend to come check it out?
@@ request | handyman | - | soon | en | Nextdoor · Wedgwood
Part of the bathroom ceiling sagged and dropped a chunk of drywall this morning. The leak above it was fixed last week, now I just need the hole patched and textured to match. Who does small jobs like this?
@@ request | pest_control | Plano | soon | en | Plano Neighbors Connect
Tiny ants all over the kitchen counter, they're coming out of the outlet behind the toaster. The sprays from Home Depot haven't done a thing. Plano. Who actually gets rid of these for good?
@@ request | fencing | Haltom City | soon | en | Fort Worth Homeowners Network
Three fence posts snapped in the wind and a whole section is leaning out into the alley. Haltom City. Looking for someone to reset it this week.
@@ request | plumbing | Bedford | soon | en | Hurst Euless Bedford (HEB) Neighbors
Toilet runs for 10 seconds every 20 min, I've replaced the flapper twice. It also wobbles a little. Who around Bedford can fix this the right way?
@@ request | cleaning | Richardson | soon | en | Richardson Neighbors
Black spots growing on the bathroom ceiling and around the window, they come back a week after I bleach them and the room smells musty. I want someone to test it and actually deal with it. Richardson.
@@ request | appliance_repair | Coppell | soon | en | Coppell Community
Dishwasher leaves standing water in the bottom after every cycle and the dishes come out gritty. Bosch, 6 yrs. Coppell. Anyone?
@@ request | hvac | Plano | soon | en | Plano Neighbors Connect
Furnace clicks a bunch of times, you hear a whoosh, then it shuts off after a few seconds and starts over. House is 64 inside. Plano. Who can come out tomorrow?
@@ request | painting | Farmers Branch | soon | en | Carrollton/Farmers Branch Connect
Paint is peeling off the wood trim all the way around the house, the south side is down to bare wood in spots. Want it scraped and redone before we list in April. Farmers Branch.
@@ request | landscaping | Midlothian | flexible | en | Ellis County Neighbors
Water stands against the foundation along the side yard for 2 days after every rain, and the neighbor's yard drains straight into ours. Want someone to fix the grading or whatever it needs. Midlothian. Getting a few opinions first.
@@ request | pool_service | Gilbert | soon | en | Phoenix Valley Neighbors
Pool went from blue to cloudy green in 3 days. Pump is running but the pressure gauge is way higher than normal. Gilbert. We have a party on the 14th, who can get it cleared up before then?
@@ urgent_request | plumbing | Mesquite | emergency | en | Mesquite Word of Mouth
Pipe burst under the kitchen sink and water is everywhere!! Shut the main off but need someone TONIGHT. Mesquite near Town East. Please call 214-555-0147
@@ urgent_request | plumbing | DeSoto | emergency | en | Cedar Hill DeSoto Duncanville Neighbors
Sewage is coming up in the downstairs shower and tub, every time anyone flushes it gets worse. Two toddlers in the house. Need someone ASAP today — DeSoto.
@@ urgent_request | hvac | Fort Worth | emergency | en | Nextdoor · Wedgwood
AC quit and it's 103 out. My mom is 84 and on oxygen, it's already 88 in her house. Fort Worth, Wedgwood. Who can come TODAY? Will pay the emergency rate.
@@ urgent_request | electrical | Rowlett | emergency | en | Rowlett Sachse Wylie Neighbors
Outlet in the bedroom is warm to the touch and there's a burning plastic smell coming from it. I flipped that breaker off. Need someone out tonight if at all possible. Rowlett.
@@ urgent_request | locksmith | Josey | emergency | en | Carrollton/Farmers Branch Connect
locked my keys in the car at the Kroger on Josey with my dog inside and it's 95 degrees!!! anyone know a locksmith who can get here fast??? Carrollton
@@ urgent_request | tree_service | Lake Highlands | emergency | en | Nextdoor · Lake Highlands
Huge limb from the neighbor's pecan came down on our roof in the storm, there's a hole and rain is coming into the upstairs bedroom. Need a tree service + someone to tarp tonight. Lake Highlands near White Rock.
@@ urgent_request | roofing | Burleson | emergency | en | Fort Worth Homeowners Network
Our roof has been open since the contractor stripped it Friday and never came back. Rain is forecast tonight. Need someone to tarp it before dark. Burleson. 817-555-0163
@@ urgent_request | plumbing | Haltom City | emergency | en | Fort Worth Homeowners Network
Smelled gas by the water heater closet, Atmos came out, shut the gas off and red tagged the line. No hot water, no stove, no heat, and it's 28 degrees tonight. Need a licensed plumber to fix the gas line today. Haltom City.
@@ urgent_request | hvac | Georgetown | emergency | en | r/austin
no heat and it's supposed to hit 19 tonight. furnace just blows cold air. we have a 3 month old. Georgetown. anyone available today?? please
@@ urgent_request | garage_door | Little Elm | emergency | en | Little Elm & The Colony Neighbors
Garage door won't open and my car is stuck inside. Cable came off one side. I have to be at the hospital for a 6am shift (nurse). Anyone who can come tonight? Little Elm.
@@ urgent_request | other | I-30 | emergency | en | Rockwall County Residents
Broke down on I-30 eastbound near the Rockwall exit, car won't crank, just clicks. Need a mobile mechanic or battery service that can come to me NOW. Have my 2 kids with me in the car.
@@ urgent_request | other | Oak Cliff | emergency | en | Oak Cliff Neighbors
Our caterer just cancelled on us and the party is at 6 TONIGHT — 40 people, my daughter's quince reception. Anyone who can do trays of fajitas or anything on this short notice?? Oak Cliff. 214-555-0119
@@ urgent_request | fencing | Watauga | emergency | en | Fort Worth Homeowners Network
Storm laid our back fence flat, we have 3 big dogs and no way to let them out. Need someone to at least put up a temporary section TODAY. Watauga.
@@ urgent_request | plumbing | Bedford | emergency | en | Hurst Euless Bedford (HEB) Neighbors
Water heater just split open, water pouring across the garage floor and into the laundry room. Turned the valve on top but it's still coming. Bedford. HELP who can come right now
@@ urgent_request | electrical | Sherman | emergency | en | Texoma Neighbors
Line from the pole to our house is sparking and hanging low after the storm. Oncor says the part attached to the house is ours to fix. Need an electrician today please, Sherman.
@@ urgent_request | locksmith | Garland and Broadway | emergency | en | Garland TX Community Board
Locked out and my 2 yr old is inside napping, neighbor and I are watching him through the window. Deadbolt is on and no spare. Any locksmith near Garland and Broadway who can come immediately??
@@ urgent_request | plumbing | Katy | emergency | en | Katy Moms
Ceiling in the hallway is bulging and dripping right under the upstairs bathroom, water keeps coming even after I shut off the toilet valve. Katy, need someone right now 😭
@@ request | other | Plano | soon | en | Plano Neighbors Connect
Math tutor for my 10th grader, twice a week. Geometry is killing him. In person preferred, Plano/Murphy.
@@ request | other | Coppell | soon | en | Coppell Community
Looking for a mobile dog groomer who'll do a 90 lb doodle. He hates the car with a passion. Coppell.
@@ request | other | Cedar Hill | soon | en | Cedar Hill DeSoto Duncanville Neighbors
Need a notary tomorrow afternoon for a vehicle title transfer, can someone come to Cedar Hill? Happy to pay a travel fee.
@@ request | other | McKinney | soon | en | McKinney Community Board
Who's a good seamstress for hemming a bridesmaid dress? Wedding is in 3 weeks. McKinney.
@@ request | other | Arlington | soon | en | Arlington TX Buy Sell Trade & Talk
Cracked my iPhone 14 screen 🤦‍♀️ anyone know a phone repair place in Arlington that isn't $300? Need it today or tomorrow for work.
@@ request | other | Ennis | flexible | en | Ellis County Neighbors
Looking for a photographer for family pics in the bluebonnets, 5 of us plus grandma. Sometime late March or early April. Ennis area.
@@ request | other | Fort Worth | soon | en | r/FortWorth
Recs for an honest mechanic in Fort Worth? Check engine light plus a grinding noise when I brake. Not the dealer, they already quoted me my firstborn.
@@ request | other | Mesquite | soon | en | Mesquite Word of Mouth
Need a caterer for a retirement party at our church, about 80 people, Saturday Nov 9. BBQ or Tex-Mex. Mesquite. Please post names or numbers!
@@ request | other | Oak Lawn | soon | en | r/Dallas
Pet sitter needed for 2 cats, Dec 20-27. Just daily drop-ins for food, water and litter. Oak Lawn.
@@ request | other | Leander | flexible | en | r/austin
Piano teacher for a 7 year old beginner? Would love someone who comes to the house. Leander / Cedar Park.
@@ request | other | Garland | flexible | en | Garland TX Community Board
Tax preparer recommendations? First year with a 1099 side business and I don't trust myself with it. Garland.
@@ request | other | Richardson | soon | en | Richardson Neighbors
Anyone know a mobile hairstylist who does home visits for seniors? My dad's in a wheelchair now and can't get to the barber anymore. Richardson.
@@ request | other | Southlake | soon | en | Keller Southlake Colleyville Moms
Looking for a nanny 3 days a week starting in January, 1 year old, in our home in Southlake. CPR cert and references needed.
@@ request | other | Frisco | soon | en | Frisco Moms & Families
Need a DJ for my son's 8th grade graduation party June 1. Backyard, ~60 people. Budget around $500. Frisco.
@@ request | other | Dallas Design District | soon | en | DFW Small Business Owners
Bartenders for our company holiday party — 2 needed for 4 hours, we supply the alcohol. Dallas Design District, Dec 13.
@@ request | other | Weatherford | flexible | en | Parker County Community
Videographer for our wedding in October, small ceremony at a ranch outside Weatherford. Just want a 5-10 min highlight reel. Who did yours?
@@ request | other | Kyle | soon | en | r/austin
Windshield crack is spreading all the way across from a rock chip on the highway. Anyone do mobile auto glass? Kyle/Buda area.
@@ request | other | Rockwall | soon | en | Rockwall County Residents
Who makes custom birthday cakes around Rockwall? Need a dinosaur one for the 23rd 🦖
@@ request | other | Lewisville | soon | en | Lewisville Flower Mound Neighbors
Computer repair — laptop won't boot past the logo and has all my kid's school stuff on it. Lewisville. Anyone reliable?
@@ request | other | Alpharetta | flexible | en | Atlanta Suburbs Neighbors
Need a personal trainer who does in-home sessions for a 60-something woman with bad knees. Alpharetta.
@@ request | other | Grand Prairie | soon | en | Grand Prairie Community
Bounce house + tables and chairs rental for a birthday on the 12th in Grand Prairie. Who have you used?
@@ request | other | The Woodlands | soon | en | Houston Homeowners Network
Car detailing — inside of my minivan needs shampooing, someone's juice box exploded in the 3rd row weeks ago 🤢 Mobile preferred. The Woodlands.
@@ request | other | Duncanville | soon | en | Cedar Hill DeSoto Duncanville Neighbors
Reading tutor for a 2nd grader who's behind, after school. Duncanville/Cedar Hill.
@@ request | other | Uptown | soon | en | r/Dallas
Need a dog walker midday M-F for a very high energy lab. Uptown near McKinney Ave.
@@ request | other | Marietta | flexible | en | Atlanta Suburbs Neighbors
Piano tuner? Old upright hasn't been tuned in about 10 years. Marietta.
@@ request | plumbing | Pleasant Grove | soon | es | Pleasant Grove Vecinos
Ocupo un plomero q me cambie el boiler, ya no calienta nada el agua. Por Pleasant Grove. Alguien de confianza xfa
@@ request | hvac | Garland | soon | es | Garland Latinos Unidos
Buenas noches alguien q sepa de aires? el de arriba no enfria y esta haciendo un calor bien feo, vivo en Garland
@@ urgent_request | plumbing | Irving | emergency | es | Irving Hispanos
URGENTE se nos rompio un tubo en el baño y esta saliendo agua por todos lados, ya cerramos la llave pero ocupamos a alguien hoy mismo. Estamos en Irving por la 183
@@ request | electrical | Oak Cliff | soon | es | Oak Cliff Comunidad
Alguien conoce un electricista q cobre reasonable? ocupo cambiar el panel, la casa es vieja y se botan los breakers a cada rato. Oak Cliff
@@ request | cleaning | Carrollton | soon | es | Mamás Latinas DFW
Ocupo quien me haga deep cleaning antes del move out, apartamento de 2 recamaras, para el sabado. Por Carrollton
@@ request | tree_service | Mesquite | soon | es | Compra Venta Mesquite y Balch Springs
Busco quien me pode los arboles del patio, hay unas ramas bien grandes encima del techo. Mesquite porfa pasen numeros
@@ request | fencing | 35 | flexible | es | Latinos en Dallas
Alguien q instale cerca de madera? como 80 pies, estamos por la 35 cerca de Walnut Hill. Para cotizar nomas
@@ urgent_request | hvac | Dallas | emergency | es | Latinos en Dallas
Se nos fue el aire y mi papa tiene 80 años, adentro ya esta a 90 grados. alguien que venga ahorita porfavor!! Dallas por Bachman Lake
@@ request | plumbing | Grand Prairie | soon | es | Grand Prairie Hispanos
El agua de la regadera sale bien poquita y la del lavabo tambien, nomas en el baño de arriba. Alguien sabe q podra ser o quien me lo arregle? Grand Prairie
@@ request | flooring | Balch Springs | flexible | es | Compra Venta Mesquite y Balch Springs
Ocupo alguien que me ponga piso laminado en 2 cuartos, yo compro el material. Balch Springs. no hay prisa
@@ request | appliance_repair | 20 | soon | es | Hispanos en Fort Worth
Quien sabe arreglar secadoras? la mia prende pero no da vueltas. Estoy por la 20
@@ urgent_request | locksmith | Pleasant Grove | emergency | es | Pleasant Grove Vecinos
Me quede afuera de la casa con la estufa prendida y el perrito adentro 😩 alguien conoce cerrajero que venga rapido?? estoy en Pleasant Grove
@@ urgent_request | tree_service | Seagoville | emergency | es | Latinos en Dallas
Se cayo un arbol encima de la cochera con la tormenta y esta entrando agua. alguien que trabaje hoy mismo? Seagoville
@@ request | cleaning | Lancaster | soon | es | Mamás Latinas DFW
Ocupo quien me limpie la alfombra, 3 cuartos y la sala. Tengo fiesta el 15. Lancaster
@@ request | other | Oak Cliff | flexible | es | Oak Cliff Comunidad
Busco quien haga pasteles para quinceañera, como para 150 personas, es en agosto. Oak Cliff o Duncanville
@@ request | other | Garland | soon | es | Garland Latinos Unidos
Alguien conoce un mecanico honesto por Garland? la troca hace un ruido bien feo cuando doy vuelta
@@ request | other | Fort Worth | soon | es | Hispanos en Fort Worth
Ocupo DJ para una boda el 20 de julio en Fort Worth, alguien que recomienden?
@@ request | other | Mesquite | soon | es | Compra Venta Mesquite y Balch Springs
Ocupamos 2 bartenders para una fiesta de cumpleaños el sabado, como 5 horas. Mesquite. Pasen info xfa
@@ request | pest_control | Irving | soon | es | Irving Hispanos
Tengo ratas en el atico, se oyen corriendo en la noche. Alguien que las saque? Irving
@@ request | roofing | Arlington | soon | es | Latinos en Arlington TX
Alguien que haga roofing? se me esta goteando el techo en la sala cuando llueve, ya puse una cubeta jaja. Arlington
@@ request | handyman | Cedar Hill | soon | es | Latinos en Dallas
Ocupo handyman que me cuelgue 2 teles y ponga unas repisas en la sala. Cedar Hill
@@ request | cleaning | - | soon | es | Mamás Latinas DFW
↪ Re: 'Alguien que limpie ductos de secadora?'
Yo tambien ocupo!! la mia tarda horas en secar la ropa
@@ request | hvac | Farmers Branch | soon | es | Latinos en Dallas
la calefaccion nomas tira aire frio y ya esta haciendo frio en las noches, tenemos niños chiquitos. Alguien que sepa? Farmers Branch
@@ request | plumbing | Pasadena | flexible | es | Latinos en Houston
Alguien en Pasadena que instale suavizador de agua? el agua aqui es bien dura y deja todo blanco
@@ request | landscaping | Forney | soon | es | Latinos en Dallas
Ocupo quien me corte el zacate cada semana, patio chico. Forney
@@ contractor_ad | plumbing | Garland | - | en | Garland TX Community Board
Need a plumber? 🚰 Licensed & insured, same day service in Garland, Rowlett and Sachse. Water heaters, slab leaks, drain cleaning. Call Mike 972-555-0132
@@ contractor_ad | cleaning | Collin County | - | en | Collin County Homeowners
Is your dryer taking forever to dry?? It might be the vent! We clean dryer vents all over Collin County, $89 special this month. DM us.
@@ contractor_ad | fencing | Allen | - | en | Allen TX Neighbors
↪ Re: 'Need a fence company in Allen'
Hi Jennifer! We do cedar and iron fences and we're right here in Allen. Sent you a DM 😊
@@ contractor_ad | painting | Lewisville | - | en | Lewisville Flower Mound Neighbors
My husband paints houses, interior and exterior, 20 years experience, super clean and reasonable. Message me for his number! We're in Lewisville but he goes anywhere in DFW.
@@ contractor_ad | handyman | Haltom City | - | en | Fort Worth Homeowners Network
Looking for work! Handyman, I can do fences, doors, drywall, small plumbing. Fair prices. Haltom City/Richland Hills. Text 817-555-0171
@@ contractor_ad | hvac | Fort Worth | - | en | Fort Worth Homeowners Network
Spring is coming 🌸 Book your AC tune-up now for $69 before the rush! Serving Fort Worth and surrounding areas. Duct cleaning also available.
@@ contractor_ad | other | McKinney | - | en | McKinney Community Board
Anyone thinking about selling this year? I'm a local realtor in McKinney and happy to do a free home valuation, no pressure at all!
@@ contractor_ad | plumbing | Frisco | - | en | Frisco Moms & Families
Tired of hard water spots? 💧 Free water testing + $500 off softener install through Friday. Frisco/Prosper/Celina.
@@ contractor_ad | electrical | - | - | en | DFW Home Services Recommendations
WE INSTALL GENERATORS!!! Authorized dealer, don't get caught without power next winter. Financing available. Call 469-555-0104
@@ contractor_ad | roofing | Southlake | - | en | Keller Southlake Colleyville Moms
Gutter guards 30% off this week only. We also do gutter cleaning. Southlake, Colleyville, Grapevine.
@@ contractor_ad | landscaping | Preston Hollow | - | en | r/Dallas
Hey neighbors! I'm a high school senior saving up for college and I mow lawns in Preston Hollow for $35, edging included 🙂
@@ contractor_ad | handyman | - | - | en | Hurst Euless Bedford (HEB) Neighbors
↪ Re: 'Need a handyman for a list of small stuff'
I can do that for you tomorrow, $75 per TV including hiding the wires. Check out my page!
@@ contractor_ad | other | Houston Heights | - | en | Houston Homeowners Network
Certified tutor (former HISD teacher), math and science grades 6-12. In person in the Houston Heights or online. $50/hr.
@@ contractor_ad | other | Arlington | - | en | Arlington TX Buy Sell Trade & Talk
Mobile notary available 7 days a week — loan signings, POAs, title transfers. Arlington/Mansfield/Grand Prairie. 817-555-0186
@@ contractor_ad | pressure_washing | Mesquite | - | en | Mesquite Word of Mouth
Pressure washing special: driveway + sidewalk $120. Mesquite and Sunnyvale. Before/after pics in the comments 👇
@@ contractor_ad | pest_control | Denton County | - | en | Denton County Neighbors
Got bees? Wasps? Rats in the attic? Call Critter Guys — humane removal and exclusion, all of Denton County.
@@ contractor_ad | garage_door | Tarrant County | - | en | Fort Worth Homeowners Network
Garage door stuck? Broken spring? We're available 24/7 in Tarrant County, no extra charge for nights or weekends!!
@@ contractor_ad | other | East Dallas | - | en | East Dallas Neighbors
I'm a pet sitter in East Dallas with openings over the holidays 🐶🐱 References available, insured and bonded.
@@ contractor_ad | cleaning | Keller | - | en | Keller Southlake Colleyville Moms
Anyone need their windows cleaned? I'm starting my own business and running a spring special, $5 per pane inside and out. Keller/Roanoke
@@ contractor_ad | electrical | Cedar Park | - | en | r/austin
EV charger installs — Tesla, ChargePoint, any brand. Licensed master electrician, panel upgrades if needed. Cedar Park / Leander
@@ contractor_ad | other | Arboretum | - | en | East Dallas Neighbors
Photographer here 📸 booking fall minis at the Arboretum, 20 minutes, 10 edited images, $175. Link in comments!
@@ contractor_ad | hvac | Rockwall County | - | en | Rockwall County Residents
Is your upstairs always hot? Blown-in attic insulation can cut your bill by up to 30%. Free attic inspection anywhere in Rockwall County.
@@ contractor_ad | plumbing | Kaufman County | - | en | Kaufman County Community
↪ Re: 'Septic alarm going off, Kaufman County'
My brother-in-law has a pumping truck and is super fair, I'll message you his info!
@@ contractor_ad | concrete | DFW | - | en | DFW Home Services Recommendations
Foundation repair — free estimates, lifetime transferable warranty. Serving all of DFW since 1998.
@@ contractor_ad | other | Lake Highlands | - | en | Nextdoor · Lake Highlands
Seamstress taking alterations again: hems, prom dresses, uniform patches. Porch pickup in Lake Highlands.
@@ contractor_ad | pool_service | Katy | - | en | Katy Moms
Pool season is coming!!! We have openings for weekly service in Katy and Cypress. Salt & chlorine pools.
@@ contractor_ad | moving | Irving | - | en | Irving Las Colinas Neighbors
We are a family-owned moving company with openings at the end of the month! Local moves from $99/hr, 2 guys + truck. Irving.
@@ contractor_ad | roofing | Scottsdale | - | en | Phoenix Valley Neighbors
Scottsdale/Phoenix — monsoon season roof check, $0 inspection. Tile and shingle repair, same week.
@@ contractor_ad | cleaning | - | - | en | Plano Neighbors Connect
Need your gutters cleaned before the leaves come down? Text us for a quote, we also do window washing! 🍂
@@ contractor_ad | other | - | - | en | Frisco Moms & Families
My son does mobile car detailing, he's saving up for college and he does a really nice job. Message me if you want his number!
@@ contractor_ad | electrical | Dallas | - | es | Trabajos y Servicios DFW
Ocupa electricista? Licenciado, trabajos residenciales y comerciales, precios razonables. Dallas y alrededores 214-555-0158
@@ contractor_ad | cleaning | Fort Worth | - | es | Hispanos en Fort Worth
Se hacen limpiezas de casas y apartamentos, move out, deep cleaning, oficinas. Area de Fort Worth. Mandame mensaje
@@ contractor_ad | cleaning | Garland | - | es | Garland Latinos Unidos
Busco trabajo de limpieza de casas, tengo experiencia y referencias. Garland, Mesquite, Rowlett
@@ contractor_ad | plumbing | - | - | es | Mamás Latinas DFW
Mi esposo hace trabajos de plomeria, cambio de boilers, fugas, destapes. Cobra barato. mandenme inbox
@@ contractor_ad | fencing | Oak Cliff | - | es | Oak Cliff Comunidad
Instalamos cercas de madera y fierro 🔨 presupuestos gratis. Oak Cliff, Grand Prairie, Duncanville
@@ contractor_ad | tree_service | Mesquite | - | es | Compra Venta Mesquite y Balch Springs
↪ Re: 'Busco quien me pode los arboles del patio, Mesquite'
Yo le trabajo de arboles amiga, le mando mensaje
@@ contractor_ad | hvac | Pleasant Grove | - | es | Pleasant Grove Vecinos
Se le batallan los aires?? Reparacion e instalacion de aire central y minisplits. Pleasant Grove 469-555-0121
@@ contractor_ad | other | Irving | - | es | Irving Hispanos
Hago pasteles para toda ocasion 🎂 bautizos, cumpleaños, quinceañeras. Entregas en Irving y Grand Prairie
@@ contractor_ad | pest_control | Arlington | - | es | Latinos en Arlington TX
Tienes cucarachas o ratas? Fumigamos casas y negocios, garantia de 90 dias. Arlington
@@ contractor_ad | painting | San Antonio | - | es | San Antonio Compra y Venta
Ofrezco servicio de pintura interior y exterior, 15 años de experiencia. San Antonio lado sur
@@ recommendation_given | plumbing | Richardson | - | en | Richardson Neighbors
↪ Re: 'Water heater recs in Richardson?'
Use Bluebonnet Plumbing, they replaced ours in one afternoon and hauled the old one away. Ask for Danny.
@@ recommendation_given | cleaning | - | - | en | Collin County Homeowners
For anyone looking for a dryer vent cleaner — Clear Path Vents is who I'd send you to. Honest, quick, and they don't try to sell you a bunch of extras.
@@ recommendation_given | other | Fort Worth | - | en | r/FortWorth
↪ Re: 'Good mechanic in Fort Worth?'
Rosales Auto on Hemphill. Been going there 10 years, they'll tell you when you DON'T need something.
@@ recommendation_given | handyman | Frisco | - | en | Frisco Moms & Families
PSA for Frisco folks: if you need a handyman, Tom Vela is the real deal. Call him before he gets booked up for the holidays. 469-555-0139
@@ recommendation_given | pool_service | Prosper | - | en | Prosper Celina Neighbors
↪ Re: 'Looking for weekly pool service in Prosper'
Splash Right! They've been our weekly guy 3 years and never miss.
@@ recommendation_given | other | Plano | - | en | Plano Neighbors Connect
↪ Re: 'Tutor for algebra 1 in Plano?'
Mrs. Okafor! Retired math teacher, does sessions at the library on weeknights. Tell her the Nguyens sent you.
@@ recommendation_given | tree_service | - | - | en | San Antonio Homeowners
↪ Re: 'Arborist recommendation?'
Make sure you get an ISA certified arborist, not just a "tree guy". Canopy Tree Care is who we use.
@@ recommendation_given | garage_door | Mansfield | - | en | Mansfield TX Neighbors
↪ Re: 'Who fixes garage door openers?'
Try Lone Star Garage Doors in Mansfield, fair prices and they answer the phone.
@@ recommendation_given | electrical | Frisco | - | en | Frisco Moms & Families
↪ Re: 'Electrician for EV charger, Frisco'
Check with your electric provider first, some give rebates. Volt Bros did ours, look them up.
@@ recommendation_given | hvac | Keller | - | en | Keller Southlake Colleyville Moms
↪ Re: 'Recommendations for attic insulation??'
Attic Pros out of Keller. Ask them about the utility rebate.
@@ recommendation_given | other | Fort Worth Botanic Garden | - | en | r/FortWorth
↪ Re: 'Anyone know a good photographer for senior pics?'
Alyssa Moreno Photography, she shoots at the Fort Worth Botanic Garden and the pics are gorgeous.
@@ recommendation_given | other | Preston | - | en | Richardson Neighbors
Tip if you ever need something notarized: the UPS Store on Preston has a notary most weekdays and it's like $10.
@@ recommendation_given | plumbing | Pleasant Grove | - | es | Pleasant Grove Vecinos
↪ Re: 'Ocupo plomero en Pleasant Grove'
Le recomiendo a Don Chuy, es bien trabajador y no cobra caro. 214-555-0112
@@ recommendation_given | hvac | Garland | - | es | Garland Latinos Unidos
↪ Re: 'Alguien que sepa de aires en Garland?'
Hablele a Aire Frio Garcia, son buenos y llegan rapido
@@ recommendation_given | other | Irving | - | es | Irving Hispanos
Para las que andaban buscando quien haga pasteles, Pasteleria Lupita en Irving hace unos bien bonitos y no cobra tanto
@@ recommendation_given | other | Garland | - | es | Garland Latinos Unidos
↪ Re: 'Alguien conoce un mecanico honesto por Garland?'
Taller Hermanos Rios en la Jupiter, son bien honestos
@@ review | roofing | Sachse | - | en | Rowlett Sachse Wylie Neighbors
Just want to say Apex Roofing did an amazing job on our hail claim. Crew was done in one day and cleaned up every single nail. Sachse.
@@ review | fencing | - | - | en | DFW Home Services Recommendations
WARNING: do NOT use "Patriot Fence Pros". Paid a $2,000 deposit in March and he stopped answering. Filed with the AG. Please share.
@@ review | roofing | Twin Creeks | - | en | Allen TX Neighbors
Scam alert 🚨 someone is going door to door in Twin Creeks saying they're "with the HOA" doing free roof inspections. They are NOT. Then they rip up shingles to "show" you damage.
@@ review | hvac | - | - | en | Plano Neighbors Connect
Had Cool Breeze Heating & Air out for our AC not cooling. Tech was honest — just a $40 capacitor when another company quoted me a whole new unit. 10/10.
@@ review | pest_control | - | - | en | Denton County Neighbors
Update on the pest control company I asked about last month: they've been out twice and we still see roaches every night. Not impressed, cancelling.
@@ review | cleaning | Plano | - | en | Plano Neighbors Connect
Our experience with Sparkle Maids in Plano: first clean was amazing, second and third they rushed through in an hour. Meh.
@@ review | locksmith | Arlington | - | en | Arlington TX Buy Sell Trade & Talk
Locksmith quoted me $65 on the phone and then charged $340 once he was here. Classic bait and switch. Watch out in Arlington.
@@ review | other | - | - | en | Frisco Moms & Families
Dog groomer review: Pawsh Mobile did our goldendoodle in the van in our driveway and he came out looking like a teddy bear 🧸 Worth every penny.
@@ review | landscaping | Midlothian | - | en | Ellis County Neighbors
Can't say enough good things about the guys who put in our French drain — the yard has stayed dry through 3 big storms. Midlothian.
@@ review | plumbing | Little Elm | - | en | Little Elm & The Colony Neighbors
Be careful with the "water testing" guys going around Little Elm. They told us our water was "dangerous" to sell us a $6,000 softener. The city water report says it's fine.
@@ review | other | Round Rock | - | en | r/austin
Used a tutoring center in Round Rock for SAT prep, my daughter's score went up 140 points. Pricey but it worked.
@@ review | electrical | - | - | en | Collin County Homeowners
The company that put in our standby generator in 2022 never came back for the permit inspection and now the city flagged it. Don't skip asking about permits, learned the hard way.
@@ review | hvac | Phoenix | - | en | Phoenix Valley Neighbors
Phoenix folks: Desert Cool replaced our AC in July in one day and hauled off the old unit. Good experience start to finish.
@@ review | plumbing | Forney | - | en | Kaufman County Community
The septic company we used in Forney was great — on time, showed us the tank, explained everything. Would use again.
@@ review | roofing | Pleasant Grove | - | es | Pleasant Grove Vecinos
No contraten a un señor que se anuncia como "Techos Garcia", le di 1500 de enganche y ya no regreso. Cuidado vecinos de Pleasant Grove
@@ review | cleaning | - | - | es | Mamás Latinas DFW
Quiero agradecer a la muchacha que me limpio la casa, quedo bien limpia y fue muy puntual. 100% recomendada
@@ review | pest_control | Garland | - | es | Garland Latinos Unidos
Ojo con los que andan tocando puertas ofreciendo fumigacion barata en Garland, cobran y nomas echan agua
@@ review | flooring | Grand Prairie | - | es | Grand Prairie Hispanos
Muy contenta con el trabajo de piso que me hicieron, dejaron todo limpio y quedo bien bonito el laminado. Grand Prairie
@@ diy_question | cleaning | - | - | en | DFW Home Services Recommendations
Anyone DIY their own dryer vent cleaning? Which brush kit from Lowe's actually worked for you? Ours runs out the roof.
@@ diy_question | plumbing | - | - | en | Garland TX Community Board
Garbage disposal just hums and doesn't spin. Is there a reset button somewhere on these? Trying to fix it myself before I call anybody.
@@ diy_question | electrical | - | - | en | Richardson Neighbors
Kitchen breaker trips whenever the microwave and toaster run at the same time. Is that normal or a sign of something bad? Just curious.
@@ diy_question | pest_control | - | - | en | McKinney Community Board
What's the best way to get rid of fire ants without killing the grass? Want to handle it myself this weekend.
@@ diy_question | roofing | - | - | en | Collin County Homeowners
Has anyone put gutter guards on themselves? Worth doing as a DIY on a one-story?
@@ diy_question | plumbing | - | - | en | r/Dallas
Toilet rocks a little when you sit on it. Can I just shim it or do I need to pull it and replace the wax ring? I'm pretty handy.
@@ diy_question | hvac | - | - | en | Frisco Moms & Families
What do y'all keep your thermostat on in summer? Our upstairs is always 5 degrees hotter than down, wondering if I should close some vents downstairs.
@@ diy_question | flooring | - | - | en | Denton County Neighbors
Is it normal for new LVP to have little gaps at the ends after a month? I installed it myself, any tips to close them up?
@@ diy_question | landscaping | - | - | en | Little Elm & The Colony Neighbors
Sprinkler head is geysering on zone 3. Are the Rain Bird ones at Home Depot just twist-on? Going to swap it myself.
@@ diy_question | garage_door | - | - | en | Mansfield TX Neighbors
How hard is it to replace a garage door opener yourself? Ours is 20 yrs old and loud enough to wake the whole house.
@@ diy_question | concrete | - | - | en | Prosper Celina Neighbors
Hairline cracks showing up in our new driveway after 6 months, is that normal for concrete in Texas or should I be worried?
@@ diy_question | painting | - | - | en | Grand Prairie Community
What paint sheen do you use in bathrooms? Repainting ours this weekend.
@@ diy_question | plumbing | - | - | en | Lewisville Flower Mound Neighbors
Water softener is beeping and flashing "Err 3". Anyone with a Morton know how to reset it?
@@ diy_question | hvac | - | - | en | Katy Moms
Attic is 130 degrees. Does a solar attic fan actually help or is it a gimmick? Asking before I buy one and put it in myself.
@@ diy_question | garage_door | - | - | en | McKinney Community Board
does anyone elses garage door make a grinding noise on the way up? ours has done it for like 5 years and still works fine lol just wondering what it is
@@ diy_question | plumbing | - | - | es | Mamás Latinas DFW
Alguien sabe como destapar el drenaje de la cocina sin quimicos? lo quiero hacer yo
@@ diy_question | cleaning | - | - | es | Latinos en Dallas
Como le hacen para quitar el moho de la regadera? ya intente con cloro y vuelve a salir
@@ diy_question | concrete | - | - | es | Hispanos en Fort Worth
Que tipo de cemento usan para arreglar una banqueta quebrada? la quiero arreglar yo mismo este fin
@@ diy_question | hvac | - | - | es | Grand Prairie Hispanos
Alguien sabe por que el aire gotea adentro por la rejilla? quiero checarlo yo antes de hablarle a alguien
@@ price_question | electrical | - | - | en | Collin County Homeowners
What did y'all pay for a standby generator install? Just trying to budget for next year.
@@ price_question | cleaning | - | - | en | Plano Neighbors Connect
What's a normal price to get a dryer vent cleaned? Got charged $189 yesterday and wondering if I got ripped off.
@@ price_question | landscaping | - | - | en | Rowlett Sachse Wylie Neighbors
Curious what a French drain runs these days? Not doing it yet, just budgeting.
@@ price_question | electrical | - | - | en | Frisco Moms & Families
Ballpark for a Level 2 EV charger installed? We might get an EV next year, trying to figure out total cost.
@@ price_question | cleaning | Plano | - | en | Plano Neighbors Connect
What's the going rate for a house cleaner in Plano now? Ours just went to $180 biweekly and idk if that's normal.
@@ price_question | plumbing | Parker County | - | en | Parker County Community
How much does septic pumping usually cost out in Parker County? Just moved out here from the city and have no clue what's normal.
@@ price_question | plumbing | - | - | en | r/FortWorth
How much is a water heater replacement these days? Ours is fine, just old, and I want to know what I'm in for.
@@ price_question | other | - | - | en | McKinney Community Board
What do tutors charge for high school chemistry these days?
@@ price_question | hvac | - | - | en | Denton County Neighbors
Paid $4,200 to have our attic insulation topped off, was that fair for 2,400 sq ft?
@@ price_question | plumbing | - | - | es | Latinos en Dallas
Cuanto cobran x cambiar un boiler de 50 galones? nomas pa darme una idea
@@ price_question | cleaning | Dallas | - | es | Mamás Latinas DFW
Cuanto cobran las muchachas de limpieza x una casa de 3 cuartos en Dallas?
@@ job_offer | roofing | Mesquite | - | en | Mesquite Word of Mouth
Need a helper for roofing crew, $18/hr, must have own transportation and be able to work Saturdays. Start Monday. Mesquite.
@@ job_offer | hvac | Fort Worth | - | en | r/FortWorth
Now hiring HVAC techs! EPA cert required, company truck, $28-35/hr depending on experience. Fort Worth.
@@ job_offer | electrical | McKinney | - | en | McKinney Community Board
Electrician wanted — journeyman license, residential service work. Competitive pay + benefits. McKinney.
@@ job_offer | plumbing | Garland | - | en | Garland TX Community Board
Looking for a part-time receptionist for our plumbing office in Garland, M-F 8-1, $15/hr.
@@ job_offer | pressure_washing | - | - | en | DFW Home Services Recommendations
Need a helper for my pressure washing business, 3-4 days a week, $100/day cash. Will train.
@@ job_offer | cleaning | Frisco | - | en | Frisco Moms & Families
Hiring house cleaners! $16-20/hr + tips, weekday schedule, must pass a background check. Frisco/Plano routes.
@@ job_offer | landscaping | Carrollton | - | en | Carrollton/Farmers Branch Connect
Landscaping company hiring crew members, mowers and trimmers, $15/hr, 7am-4pm. Bilingual a plus. Carrollton.
@@ job_offer | other | Keller | - | en | Keller Southlake Colleyville Moms
Our daycare in Keller is hiring assistant teachers, full time. DM for details!
@@ job_offer | other | Denton | - | en | Denton County Neighbors
Need someone to do the books for my landscaping company, 10 hours a week, $22/hr, QuickBooks experience. Denton.
@@ job_offer | pest_control | Austin | - | en | r/austin
Pest control company looking for a route tech in Austin. We'll train you and help get your license. $45k + commission.
@@ job_offer | handyman | Fort Worth | - | en | r/FortWorth
Looking for a handyman to join our property management team in Fort Worth, full time w/ benefits and a company van.
@@ job_offer | plumbing | Dallas | - | es | Trabajos y Servicios DFW
Busco plomero con experiencia para trabajar con nosotros, pago cada semana. Dallas
@@ job_offer | cleaning | Frisco | - | es | Trabajos y Servicios DFW
Ocupamos muchachas para limpieza de casas, lunes a viernes, buen pago. Zona Frisco y McKinney
@@ job_offer | hvac | Houston | - | es | Latinos en Houston
Se solicita tecnico de aire acondicionado con licencia en Houston. Pago $30 la hora
@@ spam | - | - | - | en | Mesquite Word of Mouth
💰💰 Make $5,000/week from home!! No experience needed, DM me "INFO" 💰💰
@@ spam | - | - | - | en | Arlington TX Buy Sell Trade & Talk
Congrats you've been selected for a FREE iPhone 15, claim at the link before midnight!!
@@ spam | - | - | - | en | Allen TX Neighbors
Giving away my late father's Cricut machines, just pay shipping, DM me fast before they're gone
@@ spam | - | - | - | en | r/Dallas
hey everyone join my crypto signals group, 300% returns guaranteed 🚀🚀
@@ spam | - | - | - | es | Latinos en Dallas
Hola amigos, gana dinero desde tu casa con solo tu celular, mandame mensaje 📲
@@ spam | - | - | - | en | Frisco Moms & Families
Looking for people who want to lose 30 lbs in 30 days 🥤 ask me how!!
@@ spam | - | - | - | en | Katy Moms
Rent my Airbnb in Cabo 🌴 super cheap for group members, inbox me!!
@@ off_topic | - | Breckinridge Park | - | en | Richardson Neighbors
Lost dog near Breckinridge Park, small white poodle mix named Chico. Please call 972-555-0128
@@ off_topic | - | - | - | en | Prosper Celina Neighbors
Reminder: trash pickup moves to Thursday this week because of the holiday.
@@ off_topic | - | Belt Line | - | en | Carrollton/Farmers Branch Connect
Anyone know why there are so many police at the Walmart on Belt Line?
@@ off_topic | - | Garland | - | en | Garland TX Community Board
Selling our old Maytag washer & dryer set, works great, $250 for both. Pickup in Garland.
@@ off_topic | flooring | - | - | en | Denton County Neighbors
Finally retiled my own shower after 3 weekends!!! pics in comments, so proud 😭
@@ off_topic | hvac | - | - | en | DFW Landlords & Investors
Landlord PSA: tenants, if your AC goes out, text me first. Do not call a company and send me the bill. We have a guy.
@@ off_topic | plumbing | - | - | en | McKinney Community Board
My husband is a plumber and he says PLEASE stop pouring bacon grease down the drain, Thanksgiving week is his busiest of the year lol
@@ off_topic | - | Rowlett | - | en | Rowlett Sachse Wylie Neighbors
Power's out on the east side of Rowlett, Oncor says about 2 hours
@@ off_topic | - | Addison | - | en | r/Dallas
Looking for a good Thai restaurant in Addison that delivers?
@@ off_topic | - | Richardson | - | en | Richardson Neighbors
Looking for a 2-bed apartment in Richardson under $1,400, pets allowed. Any leads?
@@ off_topic | - | Denton | - | en | Denton County Neighbors
Need a roommate for a 3/2 in Denton near UNT, $650 + utilities
@@ off_topic | - | - | - | en | Mansfield TX Neighbors
Looking for a used Honda or Toyota under $8k for my daughter's first car. Private sellers only please.
@@ off_topic | - | Flower Mound | - | en | Lewisville Flower Mound Neighbors
Where's the best Christmas tree lot in Flower Mound?
@@ off_topic | - | 75 | - | en | r/Dallas
Traffic on 75 is backed up all the way to Spring Valley, avoid if you can
@@ off_topic | - | Lake Highlands | - | en | Nextdoor · Lake Highlands
Who else heard that boom around 11 last night in Lake Highlands?
@@ off_topic | - | 1412 Larkspur Ln | - | en | Mansfield TX Neighbors
Garage sale Saturday 7am-noon, baby stuff, tools, furniture. 1412 Larkspur Ln
@@ off_topic | - | - | - | en | Plano Neighbors Connect
Anyone else's water pressure low today? City says they're flushing hydrants on our side of town.
@@ off_topic | appliance_repair | - | - | en | Frisco Moms & Families
me watching my husband "fix" the dishwasher for the 3rd weekend in a row instead of calling someone 😂😂
@@ off_topic | landscaping | - | - | en | Keller Southlake Colleyville Moms
What do y'all tip your lawn guys at Christmas? Ours has been with us 6 years.
@@ off_topic | - | Buckner | - | es | Pleasant Grove Vecinos
Se perdio mi perrito por la Buckner, es chihuahua cafe, responde a Toby. Se recompensa
@@ off_topic | - | Oak Cliff | - | es | Oak Cliff Comunidad
Alguien sabe donde venden tamales buenos por Oak Cliff?
@@ off_topic | - | Garland | - | es | Garland Latinos Unidos
Busco cuarto para rentar por Garland, soy trabajador, $600 al mes
@@ off_topic | - | Mesquite | - | es | Compra Venta Mesquite y Balch Springs
Vendo troca 2012 Silverado, corre bien, $9500. Mesquite
@@ off_topic | - | - | - | es | Mamás Latinas DFW
Busco carro usado barato pa mi hijo, de preferencia Corolla o Civic
@@ off_topic | - | Pleasant Grove | - | es | Pleasant Grove Vecinos
Alguien mas se quedo sin luz en Pleasant Grove?
@@ request | plumbing | - | - | en | Richardson Neighbors
UPDATE: found a plumber, water heater got replaced yesterday. Thanks everyone for the recs!
@@ request | landscaping | - | - | en | Rowlett Sachse Wylie Neighbors
Thanks all, we went with the company a few of you suggested for the French drain. Mods can close this.
@@ request | locksmith | Grapevine | - | en | Grapevine Neighbors
EDIT: locksmith came and got the door open, dog is fine!! thank you Grapevine neighbors 🙏
@@ request | other | - | - | en | Frisco Moms & Families
Never mind on the DJ, my cousin's friend is doing it. Appreciate all the messages!
@@ request | tree_service | - | - | en | Cedar Hill DeSoto Duncanville Neighbors
Found someone for the tree removal, please stop DMing me 😅
@@ request | hvac | - | - | es | Garland Latinos Unidos
Ya encontre quien me arreglara el aire, gracias a todos por los numeros
@@ request | cleaning | - | - | es | Mamás Latinas DFW
Ya no ocupo la muchacha de limpieza, ya encontre. gracias
'''


def parse(data):
    posts = []
    cur = None
    for line in data.split("\n"):
        if line.startswith("@@ "):
            if cur:
                posts.append(cur)
            f = [x.strip() for x in line[3:].split("|")]
            assert len(f) == 6, line
            kind, cat, loc, urg, lang, group = [None if x == "-" else x for x in f]
            cur = {"kind": kind, "category": cat, "location": loc,
                   "urgency": urg, "language": lang, "group_name": group, "lines": []}
        elif cur is not None:
            cur["lines"].append(line)
    if cur:
        posts.append(cur)
    out = []
    for p in posts:
        text = "\n".join(p["lines"]).strip()
        out.append({
            "text": text,
            "group_name": p["group_name"],
            "kind": p["kind"],
            "is_lead": p["urgency"] is not None,
            "category": p["category"],
            "location": p["location"],
            "urgency": p["urgency"],
            "language": p["language"],
        })
    return out


def main():
    posts = parse(DATA)
    random.Random(20250505).shuffle(posts)
    here = Path(__file__).resolve().parent
    with open(here / "blind5_posts.jsonl", "w", encoding="utf-8") as fh:
        for i, p in enumerate(posts, 1):
            rec = {"id": f"b5-{i:03d}"}
            rec.update(p)
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(posts)} posts")


if __name__ == "__main__":
    main()
