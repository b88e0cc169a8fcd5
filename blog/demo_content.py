"""Text of the demo's blog, topics and postcards. Every person named is fictional."""

AUTHORS = [
    (
        "Amara Okafor",
        "NG",
        "Academic librarian in Lagos who runs the library's research data service.",
    ),
    ("Lucía Fernández", "AR", "Public librarian in Córdoba; reading clubs and community archives."),
    ("Tom Whitaker", "AU", "School library manager in Perth and a partner in four rounds."),
    ("Priya Raman", "IN", "Cataloguer at a university library in Chennai."),
    ("Sofia Lindqvist", "SE", "Special librarian at a medical research institute in Uppsala."),
    ("Kenji Watanabe", "JP", "Digital services librarian at a prefectural library."),
    ("Grace Mwangi", "KE", "Community librarian in Nairobi working with mobile libraries."),
    ("Daniel Costa", "BR", "LIS student in São Paulo writing about open access."),
]

TAGS = [
    "mentoring",
    "open access",
    "school libraries",
    "public libraries",
    "academic libraries",
    "cataloguing",
    "advocacy",
    "digital services",
    "community",
    "professional development",
    "reading",
    "archives",
]

POST_TITLES = [
    "What my partner taught me about budgets",
    "Four months, two hemispheres, one reading list",
    "Running a mobile library in the rainy season",
    "How we catalogue in three scripts",
    "Open access week, from both sides of the world",
    "Library school, then and now",
    "The quiet power of a school library",
    "Building a community archive with volunteers",
    "Advocacy without a megaphone",
    "Digital literacy classes for grandparents",
    "Our first maker space, and what broke",
    "Reference questions that surprised us",
    "A day in a medical research library",
    "Why time zones are the easy part",
    "Weeding: the hardest conversation",
    "What a round of mentoring changed in my job",
    "Reading clubs that outlived the pandemic",
    "Research data services on a small budget",
    "The library as a warm room",
    "Translating the catalogue for new neighbours",
    "Notes from my first conference talk",
    "Shelving, signage and the lost visitor",
    "Teaching search to first-year students",
    "A partner letter, annotated",
    "Libraries and disaster recovery",
    "Measuring what matters in a branch library",
    "From volunteer to director",
    "Story time in four languages",
    "Preserving newspapers nobody else keeps",
    "The best question my partner asked",
    "Opening hours, closing doors",
    "Ten years of peer mentoring, in numbers",
    "When the internet goes down, the library stays open",
]

PARAGRAPHS = [
    "When the round began, we agreed to write every week, even if only a few lines. Some "
    "weeks the letters were long and full of questions; some weeks they were a photo of a "
    "shelf and a joke about the weather. Both kinds kept us going.",
    "Our libraries could hardly be more different: one serves a campus of thirty thousand "
    "students, the other a town of four thousand people and their dogs. And yet the same "
    "questions came up again and again: who are we for, and how do we show it?",
    "The discussion topics gave our conversations a spine. We would read the topic, think "
    "about it for a day or two, and then compare what each of us did in practice. More than "
    "once the answer was: nothing yet, but we should.",
    "I had assumed that my way of doing things was simply the way things were done. Seeing "
    "my partner's workflow, with its own laws, budgets and habits, showed me which of my "
    "habits were choices, and which of those choices I could change.",
    "We started small: a shared document of ideas, a call once a month when our time zones "
    "allowed it, and a promise to be honest about what did not work. That honesty turned out "
    "to be the most useful thing we gave each other.",
    "Nothing here needed a grant or a new building. It needed a colleague far away who asked "
    "why, and who was pleased to hear the answer.",
    "By the end of the round we had swapped reading lists, presentation slides and more "
    "than one recipe. We still write to each other, though less often, and always about the "
    "same thing: the people who come through our doors.",
]

QUOTES = [
    ("The best mentoring is a conversation between two learners.", "A participant from round 6"),
    ("I came for advice and stayed for the friendship.", "A librarian in Manila"),
    ("Every library is local; every librarian can be international.", "A country ambassador"),
]

TOPICS = [
    (
        "Introductions: you and your library",
        "Tell your partner about your library, your role and what a normal day looks like.",
    ),
    (
        "Professional associations",
        "What do associations do for librarians where you are, and are you a member?",
    ),
    ("Collection development", "Who decides what your library buys, keeps and weeds, and how?"),
    ("Library advocacy", "How does your library tell people what it does, and who listens?"),
    ("Technology in your library", "Which tools make your work easier, and which get in the way?"),
    ("Information literacy", "How do you teach people to find and judge information?"),
    (
        "Library education",
        "How did you become a librarian, and how do people qualify where you are?",
    ),
    ("Diversity and inclusion", "Who does your library serve well, and who does it miss?"),
    (
        "Reflections on the round",
        "Look back on the round together: what did you learn from each other?",
    ),
]

POSTCARDS = [
    ("Reading room of the State Library", "Melbourne", "AU"),
    ("A branch library by the harbour", "Valparaíso", "CL"),
    ("The children's corner", "Nairobi", "KE"),
    ("University library at exam time", "Lagos", "NG"),
    ("A village library on wheels", "Kisumu", "KE"),
    ("Rare books, cold room", "Uppsala", "SE"),
    ("A school library in the hills", "Kandy", "LK"),
    ("The municipal library's roof garden", "Medellín", "CO"),
    ("Newspapers, bound and shelved", "Accra", "GH"),
    ("Quiet study, loud colours", "Mexico City", "MX"),
    ("The prefectural library's new wing", "Sendai", "JP"),
    ("A law library on a Sunday", "Dublin", "IE"),
    ("Book boat at the pier", "Bergen", "NO"),
    ("Maker space in the basement", "Toronto", "CA"),
    ("The archive's reading desk", "Lisbon", "PT"),
    ("A hospital library trolley", "Auckland", "NZ"),
    ("Community library after the flood", "Dhaka", "BD"),
    ("The national library's card catalogue", "Buenos Aires", "AR"),
    ("Seminar room with a view", "Cape Town", "ZA"),
    ("Story time in the courtyard", "Kathmandu", "NP"),
    ("A mosque library", "Istanbul", "TR"),
    ("Open shelves, open doors", "Manila", "PH"),
    ("A college library in the snow", "Helsinki", "FI"),
]

POSTCARD_TEXTS = [
    "This is where I spend most of my days. The light is best in the morning, when the "
    "first students arrive and the room is still quiet.",
    "We moved into this building two years ago. The shelves are new; the readers are the "
    "same loyal crowd, plus many new faces.",
    "Our busiest corner: homework help after school, and on Saturdays a queue before we "
    "open. Greetings to every partner of the network!",
    "Small, crowded and loved. If you visit, bring a book in your language for our "
    "languages shelf.",
]
