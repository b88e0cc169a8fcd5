"""The demo's position descriptions (one per role, as the ILN wrote them) and announcements."""

INDEX = {
    "title": "Volunteer with us",
    "slug": "volunteer",
    "intro": (
        "<p>The network is run by volunteers: librarians who give a couple of hours a week for "
        "a year. Each role has a position description; if one suits you, tell us.</p>"
    ),
}

POSITIONS = [
    {
        "role": "director",
        "title": "Director",
        "hours": 4,
        "reports_to": "The board of directors",
        "purpose": "Lead the program: run the rounds, look after the volunteers and keep the "
        "network true to its code of conduct.",
        "tasks": [
            "Open, match and close each round with the data officers",
            "Recruit, support and thank volunteers; review who is due to recommit",
            "Publish pages after review and keep the program texts current",
            "Decide on reports under the code of conduct",
        ],
        "screens": "Start from the round cockpit; the volunteer records show whose term ends "
        "soon, and the noticeboard is where you tell the volunteers what is happening.",
    },
    {
        "role": "content_officer",
        "title": "Content officer",
        "hours": 2,
        "reports_to": "The directors",
        "purpose": "Keep the site's pages and blog accurate, clear and welcoming.",
        "tasks": [
            "Write and update pages and blog posts and submit them for review",
            "Look after the authors' bylines and the images you use",
        ],
        "screens": "Edit pages in Pages and submit them for review; a guest editor or a "
        "director publishes them.",
    },
    {
        "role": "guest_editor",
        "title": "Guest editor",
        "hours": 1,
        "reports_to": "The content officers",
        "purpose": "Review what content officers and the community send before it is published.",
        "tasks": [
            "Read pages, guest articles and postcards waiting for review",
            "Approve them (which publishes) or send them back with a comment",
        ],
        "screens": "Pages waiting for your review are listed on this dashboard.",
    },
    {
        "role": "ambassador",
        "title": "Country ambassador",
        "hours": 2,
        "reports_to": "The directors",
        "purpose": "Promote the program in your country and in your languages.",
        "tasks": [
            "Share the call for applications with libraries and associations",
            "Translate the promotional page into your languages",
            "Answer messages from people in your country",
        ],
        "screens": "Your promotional pages to translate and your countries' figures are on "
        "this dashboard; keep your profile up to date.",
    },
    {
        "role": "social_coordinator",
        "title": "Social media coordinator",
        "hours": 2,
        "reports_to": "The communications officer",
        "purpose": "Keep the network's social media accounts lively and accurate.",
        "tasks": [
            "Follow the social queue: retry, skip or post what is waiting",
            "Share news from the network and its members",
        ],
        "screens": "The social queue shows every post waiting, sent or in doubt.",
    },
    {
        "role": "communications_officer",
        "title": "Communications officer",
        "hours": 2,
        "reports_to": "The directors",
        "purpose": "Write to applicants and participants: calls, reminders and news.",
        "tasks": [
            "Build, test and send campaigns to the right audience",
            "Follow delivery figures and settle bounced messages",
        ],
        "screens": "Campaigns is where you prepare, test and send messages.",
    },
    {
        "role": "data_officer",
        "title": "Data officer",
        "hours": 2,
        "reports_to": "The directors",
        "purpose": "Look after applicants' and participants' data, carefully and privately.",
        "tasks": [
            "Check applications and correct their status",
            "Keep the interest list and suppression list in order",
            "Answer questions about what the outbox sent",
        ],
        "screens": "Applications, the interest list and the outbox are yours; personal data "
        "stays in the admin.",
    },
]

ANNOUNCEMENTS = [
    (
        "Welcome to the noticeboard",
        "This noticeboard replaces our old mailing list for day-to-day messages. Read it here, "
        "or ask for a weekly email digest at the bottom of the noticeboard.",
        20,
    ),
    (
        "Round 8 opens next month",
        "Please share the call for applications in your countries and languages. Ambassadors: "
        "the promotional page is ready to translate.",
        3,
    ),
]
