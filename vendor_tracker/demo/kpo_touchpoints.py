"""The demo KPO engagements' collaboration logs: touchpoints and their action items.

Each engagement title maps to (day offset from today, type, attendees, summary,
[(action item, owner, due offset, done[, for the provider])]): items the provider's team owns
are assigned to its company, so its users see and close them.
"""

from vendor_tracker.engagements.kpo.review import TouchpointType

PROVIDER = True  # the item is assigned to the provider's company

TOUCHPOINTS = {
    "Equity research and valuation support": [
        (
            -300,
            TouchpointType.KICK_OFF,
            "Maria Okafor, Sam Lindqvist; Genpact research leads",
            "Agreed coverage list, house style and the review rubric.",
            [
                ("Share house style guide and model template", "Maria Okafor", -295, True),
                ("Confirm analyst roster and time zones", "Genpact PM", -290, True, PROVIDER),
            ],
        ),
        (
            -140,
            TouchpointType.REVIEW_CALL,
            "Maria Okafor; Genpact valuation team",
            "Walked through DCF feedback; agreed regulated-asset-base cross-check.",
            [("Send updated WACC inputs", "Maria Okafor", -138, True)],
        ),
        (
            -14,
            TouchpointType.STEERING_MEETING,
            "Sam Lindqvist; Genpact engagement director",
            "Quarterly steering: quality trend up, rework days down; semis outlook next.",
            [
                (
                    "Agree embedded-value approach for the insurance arm",
                    "Genpact PM",
                    -5,
                    False,
                    PROVIDER,
                ),
                ("Circulate 2027 coverage priorities", "Sam Lindqvist", 7, False),
            ],
        ),
    ],
    "Competitive landscape research": [
        (
            -240,
            TouchpointType.KICK_OFF,
            "Sam Lindqvist; Evalueserve research team",
            "Scope, competitor list and interview plan agreed.",
            [("Provide CRM export of lost deals", "Sam Lindqvist", -230, True)],
        ),
        (
            -65,
            TouchpointType.WORKING_SESSION,
            "Sam Lindqvist; Evalueserve pricing analysts",
            "Pricing benchmark gaps: discounted quotes unavailable from public sources.",
            [("Introduce two friendly buyers for pricing interviews", "Sam Lindqvist", -55, False)],
        ),
        (
            -20,
            TouchpointType.QA,
            "Maria Okafor; Evalueserve interview lead",
            "Q&A on interview guide for win/loss synthesis.",
            [
                ("Send final interview transcripts", "Evalueserve PM", -12, False, PROVIDER),
                (
                    "Share the segment list for the win/loss split",
                    "Evalueserve PM",
                    4,
                    False,
                    PROVIDER,
                ),
            ],
        ),
    ],
    "Commercial contract review": [
        (
            -270,
            TouchpointType.KICK_OFF,
            "Maria Okafor; PwC legal managed services",
            "Playbook, clause taxonomy and escalation path agreed.",
            [("Grant data-room access", "Maria Okafor", -265, True)],
        ),
        (
            -30,
            TouchpointType.REVIEW_CALL,
            "Maria Okafor; PwC privacy team",
            "DPA gap analysis scope clarified; TIA templates shared.",
            [
                ("Deliver TIAs for US processors", "PwC team lead", -15, False, PROVIDER),
                ("Confirm processor list with procurement", "Maria Okafor", 3, False),
            ],
        ),
    ],
}
