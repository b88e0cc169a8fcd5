"""The text of the demo site's program pages. The program described is the network's own;
every person named anywhere in the demo is fictional."""

HOME = {
    "title": "Home",
    "hero_heading": "Peer mentoring for librarians, across the world",
    "hero_text": (
        "Meet a colleague in another country, learn how libraries work there, and build an "
        "international network without leaving your desk. Free, online, and run by volunteers."
    ),
    "hero_link_label": "How it works",
    "body": [
        ("heading", {"text": "A partner in another country, for four months", "size": "h2"}),
        (
            "paragraph",
            (
                "<p>Twice a year we open a round of the program. Librarians, library workers and "
                "students of library and information science apply, and we match each of them "
                "with a partner who lives in another country. For four months partners write to "
                "each other, talk about a discussion topic we release every two weeks, and "
                "compare notes on their work.</p>"
            ),
        ),
        ("heading", {"text": "Why take part", "size": "h2"}),
        (
            "paragraph",
            (
                "<ul><li>See your profession through a colleague's eyes: other laws, other "
                "budgets, other users, the same passion.</li>"
                "<li>Practise explaining your own work, and find out what is unusual about it.</li>"
                "<li>Start a network that outlasts the round: many partners still write to each "
                "other years later.</li></ul>"
            ),
        ),
        (
            "quote",
            {
                "text": (
                    "My partner ran a school library in a city I had never heard of. By the third "
                    "topic we were planning a joint reading project for our students."
                ),
                "attribution": "A participant from the third round",
            },
        ),
    ],
}

PAGES = [
    {
        "slug": "about",
        "title": "About the network",
        "intro": (
            "An independent, volunteer-run professional development program for the library "
            "and information community, open to everyone, everywhere, at no cost."
        ),
        "search_description": "Who we are and why we run an international peer mentoring program.",
        "body": [
            (
                "paragraph",
                (
                    "<p>The network began with a simple idea: librarians could 'meet' colleagues "
                    "in other parts of the world without the cost of international travel. It "
                    "borrows from mentoring and from communities of practice, and puts the two "
                    "together in a format where both partners are learners and both are "
                    "mentors.</p>"
                ),
            ),
            ("heading", {"text": "Run by volunteers", "size": "h2"}),
            (
                "paragraph",
                (
                    "<p>Everyone who runs the program is a volunteer: the directors, content and "
                    "communications officers, data officers, social media coordinators and our "
                    "country ambassadors, who promote each round in their own countries and "
                    "languages. Every role has a position description, a twelve-month term and "
                    "a yearly chance to recommit or hand over.</p>"
                ),
            ),
            ("heading", {"text": "Open content", "size": "h2"}),
            (
                "paragraph",
                (
                    "<p>Everything we publish, from the discussion topics to the postcards sent "
                    "in by the community, is released under a Creative Commons licence so that "
                    "others can reuse and build on it.</p>"
                ),
            ),
        ],
    },
    {
        "slug": "how-it-works",
        "title": "How it works",
        "intro": (
            "From your application to your last conversation with your partner: the steps of a "
            "round, and what we ask of you."
        ),
        "search_description": "The steps of a mentoring round, from applying to the final survey.",
        "body": [
            ("heading", {"text": "1. Apply while applications are open", "size": "h2"}),
            (
                "paragraph",
                (
                    "<p>Each round opens for applications for about three weeks. The form asks "
                    "about your work, your experience, your interests and the partner you would "
                    "like. Outside an application period you can join our list and we will email "
                    "you when the next round opens.</p>"
                ),
            ),
            ("heading", {"text": "2. Confirm that you will take part", "size": "h2"}),
            (
                "paragraph",
                (
                    "<p>Before matching we ask every applicant to confirm, with one click, that "
                    "they are still able to take part. Only confirmed applicants are matched, so "
                    "nobody is paired with someone who has moved on.</p>"
                ),
            ),
            ("heading", {"text": "3. Meet your partner", "size": "h2"}),
            (
                "paragraph",
                (
                    "<p>We match partners who live in different countries, using what you told us: "
                    "your sector, your career stage, your interests, your time zone and what you "
                    "asked for in a partner. You receive an introduction email and a personal page "
                    "that shows your partner and why you were matched.</p>"
                ),
            ),
            ("heading", {"text": "4. Talk, every fortnight, for four months", "size": "h2"}),
            (
                "paragraph",
                (
                    "<p>Every two weeks we release a discussion topic, from collection development "
                    "to advocacy, with questions to start the conversation. You and your partner "
                    "choose how to talk: email, video calls, messages, or letters.</p>"
                ),
            ),
            ("heading", {"text": "5. Tell us how it went", "size": "h2"}),
            (
                "paragraph",
                (
                    "<p>A short check-in in the middle of the round and an evaluation at the end "
                    "help us improve the program. If your partner stops replying, tell us from "
                    "your page and we will find you a new one.</p>"
                ),
            ),
        ],
    },
    {
        "slug": "faq",
        "title": "Frequently asked questions",
        "intro": "Short answers to the questions we are asked most often.",
        "search_description": "Answers about eligibility, language, time commitment and matching.",
        "body": [
            (
                "question",
                {
                    "question": "Who can take part?",
                    "answer": (
                        "<p>Anyone working in a library or information service, in any role, and "
                        "students of library and information science. You do not need to be a "
                        "qualified librarian.</p>"
                    ),
                },
            ),
            (
                "question",
                {
                    "question": "Does it cost anything?",
                    "answer": "<p>No. The program is free, and it is run by volunteers.</p>",
                },
            ),
            (
                "question",
                {
                    "question": "Which language is the program in?",
                    "answer": (
                        "<p>The program is conducted in English only. Our ambassadors translate "
                        "our promotional material, but partners talk to each other in English, "
                        "and all program emails and topics are in English.</p>"
                    ),
                },
            ),
            (
                "question",
                {
                    "question": "How much time does it take?",
                    "answer": (
                        "<p>Most partners spend an hour or two a fortnight. What matters most is "
                        "replying to your partner regularly.</p>"
                    ),
                },
            ),
            (
                "question",
                {
                    "question": "Can I choose my partner?",
                    "answer": (
                        "<p>You tell us what kind of partner you would like, for example someone "
                        "from another sector or from a particular region, and we do our best to "
                        "match it. If you want to be paired with a specific person, say so in the "
                        "special requests on the form.</p>"
                    ),
                },
            ),
            (
                "question",
                {
                    "question": "What if my partner does not reply?",
                    "answer": (
                        "<p>Report it from your personal page. We also check in with everyone in "
                        "the first two weeks, and people whose partners have gone quiet are "
                        "matched again.</p>"
                    ),
                },
            ),
        ],
    },
    {
        "slug": "code-of-conduct",
        "title": "Code of conduct",
        "intro": (
            "Everyone who takes part in the program or volunteers for it agrees to this code. It "
            "keeps the network a safe and welcoming place to learn."
        ),
        "search_description": "The behaviour we expect of every participant and volunteer.",
        "body": [
            ("heading", {"text": "We expect everyone to", "size": "h2"}),
            (
                "paragraph",
                (
                    "<ul><li>treat partners and volunteers with respect, whatever their country, "
                    "culture, gender, religion, age, ability or role;</li>"
                    "<li>reply to their partner within a reasonable time, and say so if they can "
                    "no longer take part;</li>"
                    "<li>keep what a partner shares in confidence unless they agree otherwise;</li>"
                    "<li>never use the program to sell, recruit or collect data.</li></ul>"
                ),
            ),
            ("heading", {"text": "If something goes wrong", "size": "h2"}),
            (
                "paragraph",
                (
                    "<p>Write to us in confidence. The directors record every complaint and the "
                    "decision taken. Someone removed from the program under this code cannot "
                    "apply to later rounds.</p>"
                ),
            ),
        ],
    },
    {
        "slug": "participation-requirements",
        "title": "Participation requirements",
        "intro": "What we ask of everyone who applies to a round.",
        "search_description": "The commitments each participant makes when applying.",
        "body": [
            (
                "paragraph",
                (
                    "<ul><li>Confirm before the confirmation deadline that you will take part.</li>"
                    "<li>Contact your partner within a week of the introduction email.</li>"
                    "<li>Keep in touch with your partner for the whole round, about once a "
                    "fortnight.</li><li>Answer the mid-round check-in and the end-of-round "
                    "evaluation.</li><li>Tell us if you need to withdraw, so that your partner "
                    "can be matched again.</li></ul>"
                ),
            ),
        ],
    },
    {
        "slug": "privacy",
        "title": "Privacy and your data",
        "intro": "What we keep about you, why, and how to download or erase it.",
        "search_description": "How the program handles participants' personal data.",
        "body": [
            (
                "paragraph",
                (
                    "<p>We keep what you tell us in your application for as long as you take part, "
                    "to match you and to run the round. Your partner sees your name, country, "
                    "sector and the email address you gave us. Figures we publish are always "
                    "aggregated.</p><p>From your personal page you can download everything we hold "
                    "about you, or erase it. Erasing keeps only anonymous counts.</p>"
                ),
            ),
        ],
    },
]

PRIMARY_MENU = ["about", "how-it-works", "faq", "code-of-conduct"]
FOOTER_MENU = ["about", "code-of-conduct", "participation-requirements", "privacy"]

SPANISH = {
    "home": {
        "title": "Inicio",
        "hero_heading": "Mentoría entre pares para bibliotecarios de todo el mundo",
        "hero_text": (
            "Conozca a un colega de otro país, descubra cómo funcionan allí las bibliotecas y "
            "construya una red internacional sin salir de su escritorio. Gratuito, en línea y "
            "dirigido por voluntarios. El programa se desarrolla únicamente en inglés."
        ),
        "hero_link_label": "Cómo funciona",
        "body": [
            ("heading", {"text": "Un compañero en otro país, durante cuatro meses", "size": "h2"}),
            (
                "paragraph",
                (
                    "<p>Dos veces al año abrimos una ronda del programa. Cada participante recibe "
                    "un compañero que vive en otro país. Durante cuatro meses conversan sobre un "
                    "tema de debate que publicamos cada dos semanas.</p>"
                ),
            ),
        ],
    },
    "how-it-works": {
        "title": "Cómo funciona",
        "slug": "como-funciona",
        "intro": "Los pasos de una ronda, desde la solicitud hasta la última conversación.",
        "body": [
            (
                "paragraph",
                (
                    "<p>Presente su solicitud mientras la convocatoria esté abierta, confirme su "
                    "participación, conozca a su compañero y conversen cada quince días durante "
                    "cuatro meses. El programa se desarrolla únicamente en inglés.</p>"
                ),
            ),
        ],
    },
}
