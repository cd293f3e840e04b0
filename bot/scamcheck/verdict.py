"""The checker's verdict and its wording: reasons per signal and what to do per scam pattern."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

TOP_REASONS = 3
GENUINE_SIGNALS = frozenset({"protective_notice", "official_channel_advice", "official_link", "genuine_number"})

_EXPLAIN: dict[str, Callable] = {
    "gift_card_payment": lambda tr: tr.gettext("Asks for payment with gift cards, e-money or their codes: that is always a scam."),
    "convenience_payment_code": lambda tr: tr.gettext("Asks you to pay at a convenience store with a number they give you."),
    "atm_instruction": lambda tr: tr.gettext("Sends you to an ATM: refunds and procedures are never done at an ATM."),
    "pin_request": lambda tr: tr.gettext("Asks for a PIN: police, banks and offices never ask for it."),
    "credential_request": lambda tr: tr.gettext("Asks you to send a code or password: no genuine sender asks for these."),
    "login_prompt": lambda tr: tr.gettext("Asks you to enter or confirm account or card details."),
    "card_handover": lambda tr: tr.gettext("Wants your cash card or bankbook handed over: police and banks never collect cards."),
    "id_photo_request": lambda tr: tr.gettext("Asks for photos of your ID or residence card, which can be misused against you."),
    "money_request": lambda tr: tr.gettext("Asks you to send or transfer money."),
    "transfer_personal_account": lambda tr: tr.gettext("The money is to go to a personal or \"safe\" account."),
    "crypto_payment": lambda tr: tr.gettext("Asks for crypto-assets."),
    "upfront_fee": lambda tr: tr.gettext("A fee, deposit or tax must be paid first."),
    "remote_access": lambda tr: tr.gettext("Asks you to share your screen or install a remote-control or \"security\" app."),
    "asset_check": lambda tr: tr.gettext("Wants to \"check\" or move all your savings: no investigation does that."),
    "install_app": lambda tr: tr.gettext("Asks you to install an app."),
    "parcel_mule": lambda tr: tr.gettext("The job is receiving or carrying parcels or cash for others."),
    "account_sale": lambda tr: tr.gettext("Offers to buy or rent your bank account, card or SIM: selling them is a crime."),
    "cash_collector": lambda tr: tr.gettext("Someone will come to collect cash or a card: no genuine relative, police or bank does that."),
    "borrowing_pushed": lambda tr: tr.gettext("Urges you to borrow money to pay."),
    "urgency": lambda tr: tr.gettext("Pushes you to act at once or by a short deadline."),
    "threat_legal": lambda tr: tr.gettext("Threatens a lawsuit, court or seizure."),
    "threat_arrest": lambda tr: tr.gettext("Says you are a suspect or will be arrested: real police do not tell you so by phone or chat."),
    "account_suspension": lambda tr: tr.gettext("Says your account, card or line will be stopped or was misused."),
    "secrecy": lambda tr: tr.gettext("Tells you to keep it secret from family, bank or company."),
    "virus_warning": lambda tr: tr.gettext("A virus warning with a number to call: a support scam."),
    "subscription_trap": lambda tr: tr.gettext("A cheap trial that turns into a subscription that is hard to cancel."),
    "pushy_seller": lambda tr: tr.gettext("A seller who keeps pressing and will not take no for an answer."),
    "limited_offer": lambda tr: tr.gettext("A special price for today only."),
    "claims_identity": lambda tr: tr.gettext("The sender only claims to be someone you would trust."),
    "authority_police": lambda tr: tr.gettext("Uses the name of the police or prosecutors."),
    "authority_office": lambda tr: tr.gettext("Uses the name of a public office."),
    "authority_bank": lambda tr: tr.gettext("Uses the name of a bank or card company."),
    "parcel_problem": lambda tr: tr.gettext("Says a parcel could not be delivered."),
    "unpaid_fee": lambda tr: tr.gettext("Claims an unpaid fee or bill."),
    "refund_offer": lambda tr: tr.gettext("Offers a refund or benefit."),
    "prize_benefit": lambda tr: tr.gettext("Offers a prize, points or a benefit to claim."),
    "relative_new_number": lambda tr: tr.gettext("Someone says they are family with a new number or phone."),
    "trouble_story": lambda tr: tr.gettext("A sudden trouble story (lost bag, accident, settlement) that needs money now."),
    "withdrawal_blocked": lambda tr: tr.gettext("You cannot withdraw your money unless you pay more first."),
    "family_address": lambda tr: tr.gettext("Writes as a family member."),
    "account_takeover": lambda tr: tr.gettext("The account may have been taken over by someone else."),
    "romance": lambda tr: tr.gettext("Talk of love or marriage from someone you may never have met."),
    "guaranteed_profit": lambda tr: tr.gettext("Promises guaranteed or very high profits: no real investment can."),
    "investment_group": lambda tr: tr.gettext("An investment group, \"teacher\" or \"assistant\" tells you what to buy."),
    "investment_mention": lambda tr: tr.gettext("Talks about investing."),
    "celebrity_ad": lambda tr: tr.gettext("Uses a famous person's name or an ad to win trust."),
    "easy_money_job": lambda tr: tr.gettext("An easy job with very high pay: the bait of criminal part-time jobs."),
    "elderly_target": lambda tr: tr.gettext("Mentions elderly people."),
    "task_scam": lambda tr: tr.gettext("Paid \"tasks\" such as liking videos, which soon ask for a deposit."),
    "loan_no_check": lambda tr: tr.gettext("A loan without a credit check."),
    "mlm_recruit": lambda tr: tr.gettext("Earnings from recruiting friends (multi-level scheme)."),
    "free_event_lure": lambda tr: tr.gettext("Free gifts or talks that lead to expensive sales."),
    "inspection_scare": lambda tr: tr.gettext("A \"free inspection\" that finds urgent, expensive repairs."),
    "purchase_visit": lambda tr: tr.gettext("A buyer who visits and presses for jewellery or precious metals."),
    "land_resale": lambda tr: tr.gettext("Someone wants to buy your land at a high price, but fees come first."),
    "unsolicited_goods": lambda tr: tr.gettext("A bill for goods you never ordered."),
    "move_to_chat": lambda tr: tr.gettext("Moves the talk to LINE, Telegram, WhatsApp or another chat."),
    "video_call": lambda tr: tr.gettext("Wants a video call: police never show warrants or badges in a video call."),
    "automated_voice": lambda tr: tr.gettext("An automated voice call that asks you to press a number."),
    "intl_call_mention": lambda tr: tr.gettext("The call came from an international number."),
    "callback_number": lambda tr: tr.gettext("You are told to call the number given in the message."),
    "intl_number": lambda tr: tr.gettext("Gives an international phone number."),
    "fake_police_number": lambda tr: tr.gettext("A number ending in 0110 that is not a police line."),
    "ip_phone_number": lambda tr: tr.gettext("Gives a 050 IP phone number, which anyone can get anonymously."),
    "mobile_number": lambda tr: tr.gettext("Gives a personal mobile number."),
    "scam_number": lambda tr: tr.gettext("This phone number is on our list of scam numbers."),
    "unknown_link": lambda tr: tr.gettext("Contains a link to a site we cannot confirm."),
    "brand_link_mismatch": lambda tr: tr.gettext("Names a company or office, but the link is not its official site."),
    "lookalike_domain": lambda tr: tr.gettext("The web address imitates a well-known company's address."),
    "brand_in_subdomain": lambda tr: tr.gettext("A company's name is hidden inside an unrelated web address."),
    "punycode_domain": lambda tr: tr.gettext("The web address uses look-alike foreign letters."),
    "url_shortener": lambda tr: tr.gettext("Uses a shortened link that hides the real address."),
    "ip_host": lambda tr: tr.gettext("The link is a bare IP address, not a company's site."),
    "unusual_tld": lambda tr: tr.gettext("The address ends in a domain rarely used by Japanese companies or offices."),
    "phishy_domain_words": lambda tr: tr.gettext("The address is made of words like \"login\", \"verify\" or \"refund\"."),
    "scam_domain": lambda tr: tr.gettext("This web address is on our list of scam sites."),
    "protective_notice": lambda tr: tr.gettext("Contains the kind of warning genuine senders include."),
    "official_channel_advice": lambda tr: tr.gettext("Points you to the official app, website or counter."),
    "official_link": lambda tr: tr.gettext("Its links go to official sites."),
    "genuine_number": lambda tr: tr.gettext("This phone number is on our list of genuine numbers."),
    "authority_asks": lambda tr: tr.gettext("Someone in an official role asks for money, cards, a PIN or documents: police, banks and offices never do."),
    "relative_asks_money": lambda tr: tr.gettext("A \"family member\" with a new number or account asks for money."),
    "stranger_asks_money": lambda tr: tr.gettext("Someone you know only online asks for money."),
    "warning_with_link": lambda tr: tr.gettext("A warning about your account, parcel or payment comes with a link to an unofficial site."),
    "job_with_risks": lambda tr: tr.gettext("A job offer that also wants parcels handled, your ID, a deposit or a move to another chat."),
    "lure_then_pressure": lambda tr: tr.gettext("Something free or a scare first, then pressure to pay or sign now."),
    "many_signs": lambda tr: tr.gettext("Several kinds of warning sign at once."),
}

_ADVICE: dict[str, Callable] = {
    "scam.phishing": lambda tr: tr.gettext("Do not tap the link or enter anything. Check in the official app or a saved bookmark. If you already entered a password or card number, change it and call your card company now."),
    "scam.fictitious_billing": lambda tr: tr.gettext("Do not pay and do not call the number in the message. Never buy gift cards or e-money for anyone. Consult #9110 (police) or 188 (consumer hotline)."),
    "scam.refund": lambda tr: tr.gettext("Do not go to an ATM: refunds are never paid at an ATM. Hang up and call the office on the number in its official letter or website."),
    "scam.cash_card": lambda tr: tr.gettext("Never hand over your cash card or tell anyone your PIN, not even the police or a bank. Hang up and call 110."),
    "scam.fake_police": lambda tr: tr.gettext("Hang up or stop the chat. Real police never ask for money, transfers or video calls. Call #9110 or your police station yourself."),
    "scam.ore_ore": lambda tr: tr.gettext("Call your family member back on the number you already know before doing anything. Never hand cash or cards to a \"colleague\"."),
    "scam.investment": lambda tr: tr.gettext("Stop sending money: guaranteed profit is a lie. Check the company on the FSA register of dealers and consult #9110."),
    "scam.romance": lambda tr: tr.gettext("Never send money to someone you have not met in person. Talk to your family or call #9110."),
    "scam.loan_guarantee": lambda tr: tr.gettext("Real lenders never ask for a fee before the loan. Do not pay; consult 188 (consumer hotline)."),
    "scam.dark_job": lambda tr: tr.gettext("Do not reply and do not send your ID: such jobs make you a criminal. If you already sent something, consult the police now: they will protect you."),
    "sales": lambda tr: tr.gettext("Do not sign or pay on the spot; you may refuse and ask them to leave. Consult 188 (consumer hotline): cooling-off may cancel the contract."),
    "scam.general": lambda tr: tr.gettext("Do not reply, pay or tap anything yet. Ask someone you trust, or call #9110 (police) or 188 (consumer hotline)."),
    "none": lambda tr: tr.gettext("If it asks for money, cards, a PIN or codes, or pushes you to hurry, stop and call #9110 (police) or 188 (consumer hotline)."),
}


@dataclass(frozen=True)
class Verdict:
    """What the checker found: risk, the matching scam pattern, signal ids (strongest first), the text checked."""

    risk: str
    pattern: str
    signals: tuple[str, ...]
    score: float = 0.0
    text: str = ""
    readable: bool = True

    def reasons(self, tr, limit: int = TOP_REASONS) -> list[str]:
        """The top warning signs, translated; empty when none were found."""
        warnings = [s for s in self.signals if s in _EXPLAIN and s not in GENUINE_SIGNALS]
        return [_EXPLAIN[s](tr) for s in warnings[:limit]]

    def advice(self, tr) -> str:
        """What to do now, translated, for the verdict's pattern."""
        key = self.pattern if self.risk != "low" else "none"
        if key.startswith("sales."):
            key = "sales"
        return _ADVICE.get(key, _ADVICE["scam.general"])(tr)



def explained_signals() -> frozenset[str]:
    """Signal ids that have an explanation (the tests check every scored signal has one)."""
    return frozenset(_EXPLAIN)
