"""Texts of the ambassadors' demo: the directory and the open round's promotional page in the
five site languages, and the home page's hero in the languages the site shell leaves out."""

DIRECTORY = {
    "en": (
        "Ambassadors",
        "Volunteers who bring the network to librarians in their countries and "
        "languages. Write to the ambassador of your country.",
    ),
    "es": (
        "Embajadores",
        "Voluntarias y voluntarios que acercan la red a bibliotecarios de su "
        "país y su idioma. Escribe a quien represente a tu país.",
    ),
    "fr": (
        "Ambassadeurs",
        "Des bénévoles qui font connaître le réseau aux bibliothécaires de "
        "leur pays et de leur langue. Écrivez à l'ambassadeur de votre pays.",
    ),
    "pt": (
        "Embaixadores",
        "Voluntários que levam a rede aos bibliotecários do seu país e da sua "
        "língua. Escreva ao embaixador do seu país.",
    ),
    "ar": ("السفراء", "متطوعون يعرّفون أمناء المكتبات في بلدانهم وبلغاتهم بالشبكة. راسل سفير بلدك."),
}

HOME = {
    "fr": {
        "title": "Accueil",
        "hero_heading": "Un mentorat entre pairs, gratuit et en ligne, pour le monde des "
        "bibliothèques",
        "hero_text": "Nous mettons en relation des bibliothécaires de pays différents pour "
        "quelques mois d'échanges. Le programme se déroule uniquement en anglais.",
        "hero_link_label": "Comment ça marche",
    },
    "pt": {
        "title": "Início",
        "hero_heading": "Mentoria entre pares, gratuita e online, para o mundo das bibliotecas",
        "hero_text": "Ligamos bibliotecários de países diferentes para alguns meses de "
        "conversa. O programa decorre apenas em inglês.",
        "hero_link_label": "Como funciona",
    },
    "ar": {
        "title": "الرئيسية",
        "hero_heading": "إرشاد مجاني بين الأقران عبر الإنترنت لعالم المكتبات",
        "hero_text": "نربط بين أمناء مكتبات من بلدان مختلفة لبضعة أشهر من الحوار. "
        "يُدار البرنامج باللغة الإنجليزية فقط.",
        "hero_link_label": "كيف يعمل البرنامج",
    },
}

PROMO = {
    "en": {
        "title": "Join {round} of the International Librarians Network",
        "statement": "",
        "short": "Applications for {round} of the International Librarians Network are open! "
        "Free online peer mentoring: we pair you with a librarian in another country "
        "for four months of conversation. Apply before {closes}.",
        "long": "The International Librarians Network is a free peer-mentoring program for "
        "librarians, library workers and students of library and information science, "
        "wherever they are.\n\n"
        "Each round, we match you with a partner in another country. For about four "
        "months you talk about your work, your libraries and the questions that matter "
        "to you, guided by discussion topics sent every two weeks.\n\n"
        "There is no fee and no travel: all you need is an internet connection and an "
        "hour or two a month. Applications for {round} are open until {closes}.",
    },
    "es": {
        "title": "International Librarians Network: inscripciones abiertas para {round}",
        "statement": "El programa se desarrolla únicamente en inglés.",
        "short": "¡Ya puedes inscribirte en {round} de la International Librarians Network! "
        "Mentoría gratuita entre pares, en línea: te emparejamos con un bibliotecario de "
        "otro país durante cuatro meses de conversación. Inscríbete antes del {closes}.",
        "long": "La International Librarians Network es un programa gratuito de mentoría entre "
        "pares para bibliotecarios, trabajadores de bibliotecas y estudiantes de "
        "bibliotecología, estén donde estén.\n\n"
        "En cada ronda te emparejamos con alguien de otro país. Durante unos cuatro meses "
        "conversan sobre su trabajo, sus bibliotecas y las preguntas que les importan, "
        "con temas de conversación que enviamos cada dos semanas.\n\n"
        "No hay que pagar ni viajar: solo necesitas conexión a internet y una o dos horas "
        "al mes. Las inscripciones para {round} están abiertas hasta el {closes}.",
    },
    "fr": {
        "title": "International Librarians Network : inscriptions ouvertes pour {round}",
        "statement": "Le programme se déroule uniquement en anglais.",
        "short": "Les inscriptions pour {round} de l'International Librarians Network sont "
        "ouvertes ! Un mentorat entre pairs gratuit et en ligne : nous vous associons à "
        "un ou une bibliothécaire d'un autre pays pour quatre mois d'échanges. "
        "Inscrivez-vous avant le {closes}.",
        "long": "L'International Librarians Network est un programme gratuit de mentorat entre "
        "pairs pour les bibliothécaires, le personnel des bibliothèques et les étudiants "
        "en sciences de l'information, où qu'ils soient.\n\n"
        "À chaque session, nous vous associons à une personne d'un autre pays. Pendant "
        "environ quatre mois, vous parlez de votre travail, de vos bibliothèques et des "
        "questions qui vous tiennent à cœur, avec des thèmes de discussion envoyés toutes "
        "les deux semaines.\n\n"
        "Ni frais ni déplacement : il suffit d'une connexion internet et d'une heure ou "
        "deux par mois. Les inscriptions pour {round} sont ouvertes jusqu'au {closes}.",
    },
    "pt": {
        "title": "International Librarians Network: inscrições abertas para {round}",
        "statement": "O programa decorre apenas em inglês.",
        "short": "Estão abertas as inscrições para {round} da International Librarians "
        "Network! Mentoria gratuita entre pares, online: juntamos você a um "
        "bibliotecário de outro país para quatro meses de conversa. Inscreva-se até "
        "{closes}.",
        "long": "A International Librarians Network é um programa gratuito de mentoria entre "
        "pares para bibliotecários, profissionais de bibliotecas e estudantes de ciência "
        "da informação, onde quer que estejam.\n\n"
        "Em cada ronda, juntamos você a um parceiro de outro país. Durante cerca de "
        "quatro meses, conversam sobre o vosso trabalho, as vossas bibliotecas e as "
        "questões que vos interessam, com temas de conversa enviados a cada duas "
        "semanas.\n\n"
        "Não há custos nem viagens: basta uma ligação à internet e uma ou duas horas por "
        "mês. As inscrições para {round} estão abertas até {closes}.",
    },
    "ar": {
        "title": "الشبكة الدولية لأمناء المكتبات: التسجيل مفتوح في {round}",
        "statement": "يُدار البرنامج باللغة الإنجليزية فقط.",
        "short": "باب التسجيل في {round} من الشبكة الدولية لأمناء المكتبات مفتوح الآن! إرشاد "
        "مجاني بين الأقران عبر الإنترنت: نجمعك بأمين مكتبة من بلد آخر لأربعة أشهر من "
        "الحوار. سجّل قبل {closes}.",
        "long": "الشبكة الدولية لأمناء المكتبات برنامج مجاني للإرشاد بين الأقران، موجّه إلى "
        "أمناء المكتبات والعاملين فيها وطلاب علوم المكتبات والمعلومات أينما كانوا.\n\n"
        "في كل دورة نجمعك بشريك من بلد آخر. وعلى مدى أربعة أشهر تقريبًا تتحدثان عن "
        "عملكما ومكتبتيكما والأسئلة التي تهمّكما، مستعينين بمواضيع للنقاش نرسلها كل "
        "أسبوعين.\n\n"
        "لا رسوم ولا سفر: كل ما تحتاجه اتصال بالإنترنت وساعة أو ساعتان في الشهر. "
        "التسجيل في {round} مفتوح حتى {closes}.",
    },
}


# (country, Faker locale for names, languages): 36 countries, some with two ambassadors.
AMBASSADORS = [
    ("MX", "es_MX", ["es", "en"]),
    ("MX", "es_MX", ["es", "en"]),
    ("CO", "es_CO", ["es", "en"]),
    ("AR", "es_AR", ["es", "en"]),
    ("CL", "es_CL", ["es", "en"]),
    ("PE", "es_ES", ["es", "qu", "en"]),
    ("ES", "es_ES", ["es", "ca", "en"]),
    ("ES", "es_ES", ["es", "en"]),
    ("FR", "fr_FR", ["fr", "en"]),
    ("CA", "fr_CA", ["fr", "en"]),
    ("SN", "fr_FR", ["fr", "wo", "en"]),
    ("CI", "fr_FR", ["fr", "en"]),
    ("CM", "fr_FR", ["fr", "en"]),
    ("BE", "nl_BE", ["fr", "nl", "en"]),
    ("BR", "pt_BR", ["pt", "en"]),
    ("BR", "pt_BR", ["pt", "es", "en"]),
    ("PT", "pt_PT", ["pt", "en"]),
    ("MZ", "pt_PT", ["pt", "en"]),
    ("AO", "pt_PT", ["pt", "en"]),
    ("EG", "ar_AA", ["ar", "en"]),
    ("JO", "ar_SA", ["ar", "en"]),
    ("MA", "ar_AA", ["ar", "fr", "en"]),
    ("AE", "ar_AA", ["ar", "en"]),
    ("SA", "ar_SA", ["ar", "en"]),
    ("LB", "ar_AA", ["ar", "fr", "en"]),
    ("AU", "en_AU", ["en"]),
    ("AU", "en_AU", ["en"]),
    ("NZ", "en_NZ", ["en", "mi"]),
    ("GB", "en_GB", ["en"]),
    ("IE", "en_IE", ["en", "ga"]),
    ("US", "en_US", ["en", "es"]),
    ("US", "en_US", ["en"]),
    ("NG", "en_GB", ["en", "yo"]),
    ("KE", "en_GB", ["en", "sw"]),
    ("ZA", "en_GB", ["en", "zu"]),
    ("IN", "en_IN", ["en", "hi"]),
    ("IN", "hi_IN", ["en", "hi"]),
    ("PH", "en_PH", ["en", "tl"]),
    ("ID", "id_ID", ["id", "en"]),
    ("JP", "ja_JP", ["ja", "en"]),
    ("DE", "de_DE", ["de", "en"]),
    ("IT", "it_IT", ["it", "en"]),
    ("PL", "pl_PL", ["pl", "en"]),
    ("FI", "fi_FI", ["fi", "sv", "en"]),
]
