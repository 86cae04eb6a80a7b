"""What the demo's delegates say: their handles and the recommendations they submit.

The workshop is the one this app was first built for: the regional thematic workshop on
investigating and prosecuting high-tech crime, especially online fraud centres, held in
Da Nang, Viet Nam, on 19–20 August, organized by UNODC with the Supreme People's Procuracy
of Viet Nam (the built-in WORKSHOP_* settings, which the demo's app is given).
"""

from __future__ import annotations

from dataclasses import dataclass

COUNTRIES: tuple[str, ...] = ("VN", "TH", "KH", "LA", "PH", "KR")

# Slack usernames, as slash commands and mentions carry them; several per delegation.
HANDLES: dict[str, tuple[str, ...]] = {
    "VN": (
        "nguyen.thi.lan",
        "tran.van.hung",
        "le.minh.chau",
        "pham.quoc.bao",
        "vu.thu.ha",
        "do.duc.anh",
        "hoang.mai.linh",
    ),
    "TH": (
        "somchai.srisuk",
        "kanokwan.pimpa",
        "pongsak.wongsa",
        "siriporn.chaiyo",
        "narong.kittisak",
        "ratana.boonmee",
        "thanakorn.saelim",
    ),
    "KH": (
        "sok.dara",
        "chan.sophea",
        "keo.vanna",
        "heng.sokha",
        "lim.bopha",
        "meas.piseth",
        "ouk.channary",
    ),
    "LA": (
        "bounmy.phommachanh",
        "khamla.sisouphanh",
        "souksavanh.vongsa",
        "phonesavanh.keola",
        "vilayvanh.sengdara",
        "somphone.douangdy",
        "noy.keomany",
    ),
    "PH": (
        "maria.santos",
        "jose.reyes",
        "ana.delacruz",
        "paolo.garcia",
        "liza.mendoza",
        "ramon.bautista",
        "grace.villanueva",
    ),
    "KR": (
        "kim.minjun",
        "lee.seoyeon",
        "park.jihoon",
        "choi.yuna",
        "jung.hyunwoo",
        "kang.soyeon",
        "yoon.taeho",
    ),
}

ORGANIZER_HANDLE = "unodc.secretariat"


@dataclass(frozen=True)
class Proposal:
    """A recommendation one delegation brings to a group."""

    group_key: str
    country: str  # the submitting delegation
    title: str
    text: str
    rationale: str | None = None


PROPOSALS: tuple[Proposal, ...] = (
    # --- Electronic evidence --------------------------------------------------------------
    Proposal(
        "e-evidence",
        "PH",
        "Expedited preservation requests",
        "Each participating State should designate a 24/7 point of contact able to send and "
        "receive expedited requests to preserve stored computer data — subscriber information, "
        "traffic data and content held by service providers — within 24 hours, pending a formal "
        "request for mutual legal assistance.",
        "Fraud centres rotate devices, accounts and messaging handles within days; by the time a "
        "formal request arrives, the logs have often been overwritten or deleted.",
    ),
    Proposal(
        "e-evidence",
        "KR",
        "전자증거 보전 요청 표준 양식",
        "각 회원국은 국경 간 전자증거 보전 요청에 사용할 공통 양식을 채택하고, 요청서에 계정 "
        "식별자, 대상 기간 및 관련 혐의를 명확히 기재하여야 한다. 양식은 영어와 요청국의 "
        "언어로 병기한다.",
        "서비스 제공자가 요청서의 형식 미비를 이유로 보전을 거부하거나 지연하는 사례가 반복되고 "
        "있다.",
    ),
    Proposal(
        "e-evidence",
        "VN",
        "Quy trình chung về bảo quản chứng cứ điện tử",
        "Các quốc gia thống nhất quy trình tối thiểu về thu giữ, sao chép và niêm phong dữ liệu "
        "điện tử (bao gồm giá trị băm SHA-256 và biên bản ghi nhận) để chứng cứ thu thập tại một "
        "nước được tòa án nước kia chấp nhận.",
    ),
    Proposal(
        "e-evidence",
        "TH",
        "Direct requests to service providers",
        "Where domestic law allows, investigators should be able to send requests for subscriber "
        "information directly to service providers established in another participating State, "
        "notifying that State's central authority, instead of going through full mutual legal "
        "assistance.",
        "Subscriber data is the first lead in most fraud-centre cases, and routing every such "
        "request through mutual legal assistance takes months.",
    ),
    Proposal(
        "e-evidence",
        "LA",
        "ການຝຶກອົບຮົມດ້ານຫຼັກຖານເອເລັກໂຕຣນິກ",
        "ຈັດການຝຶກອົບຮົມຮ່ວມກັນໃຫ້ແກ່ເຈົ້າໜ້າທີ່ສືບສວນ, ໄອຍະການ ແລະ ຜູ້ພິພາກສາ "
        "ກ່ຽວກັບການເກັບກຳ ແລະ ການນຳໃຊ້ຫຼັກຖານເອເລັກໂຕຣນິກ ໃນຄະດີສໍ້ໂກງທາງອອນລາຍ.",
    ),
    Proposal(
        "e-evidence",
        "KH",
        "Secure channel for mutual legal assistance",
        "Central authorities should transmit and answer mutual legal assistance requests "
        "concerning electronic evidence through a secure electronic channel, accept electronic "
        "signatures, and acknowledge receipt within five working days.",
    ),
    # --- Financial investigation ----------------------------------------------------------
    Proposal(
        "financial-investigation",
        "TH",
        "แลกเปลี่ยนข้อมูลข่าวกรองทางการเงิน",
        "หน่วยข่าวกรองทางการเงินของประเทศสมาชิกควรแลกเปลี่ยนข้อมูลธุรกรรมที่น่าสงสัยซึ่งเกี่ยวข้อง"
        "กับศูนย์หลอกลวงทางออนไลน์โดยตรงผ่านช่องทาง Egmont Secure Web ภายใน 72 ชั่วโมงสำหรับกรณี"
        "เร่งด่วน",
        "เงินที่ได้จากการหลอกลวงถูกโอนผ่านบัญชีม้าหลายทอดข้ามพรมแดนภายในไม่กี่ชั่วโมง",
    ),
    Proposal(
        "financial-investigation",
        "PH",
        "Red flags for mule accounts",
        "Financial intelligence units and banking supervisors should publish a shared, regularly "
        "updated set of red-flag indicators for money-mule accounts used by fraud centres, "
        "including accounts opened with the identity documents of recruited or trafficked "
        "persons.",
        "Banks in the region report mule accounts under different criteria, so the same network "
        "is detected in one country and missed in the next.",
    ),
    Proposal(
        "financial-investigation",
        "VN",
        "Tracing virtual assets",
        "Participating States should require virtual asset service providers to apply the travel "
        "rule and to act on law-enforcement requests to trace and temporarily block stablecoin "
        "transfers linked to fraud proceeds.",
        "Most proceeds identified in recent cases were converted to USDT within hours and moved "
        "through unregistered over-the-counter exchangers.",
    ),
    Proposal(
        "financial-investigation",
        "KR",
        "Joint financial investigation teams",
        "For cases with victims in several States, prosecutors should be able to set up joint "
        "investigation teams that include financial investigators, so that account analyses and "
        "tracing results are shared without separate requests.",
    ),
    Proposal(
        "financial-investigation",
        "PH",
        "Pagsubaybay sa mga e-wallet",
        "Dapat atasan ang mga e-wallet at remittance provider na iulat sa financial intelligence "
        "unit ang mga kahina-hinalang transaksiyon na may kaugnayan sa online scam, at mabilis na "
        "ibahagi sa mga imbestigador ang datos ng may-ari ng account.",
        "Karamihan ng perang nakuha mula sa mga biktima ay dumaraan muna sa mga e-wallet bago "
        "ilipat sa ibang bansa.",
    ),
    # --- Asset confiscation -----------------------------------------------------------------
    Proposal(
        "asset-confiscation",
        "KH",
        "ការបង្កកទ្រព្យសម្បត្តិជាបន្ទាន់",
        "រដ្ឋជាសមាជិកគួរអនុញ្ញាតឱ្យបង្កកគណនីធនាគារ និងទ្រព្យសកម្មឌីជីថល ដែលពាក់ព័ន្ធនឹងការឆបោកតាម"
        "អ៊ីនធឺណិត ភ្លាមៗតាមសំណើរបស់ប្រទេសផ្សេង មុនពេលទទួលបានសំណើជំនួយគតិយុត្តទៅវិញទៅមកជាផ្លូវការ។",
    ),
    Proposal(
        "asset-confiscation",
        "VN",
        "Non-conviction-based confiscation",
        "States should provide for non-conviction-based confiscation of the proceeds of online "
        "fraud where the offender has fled, died or cannot be identified, with safeguards that "
        "let third parties acting in good faith claim their property.",
        "The organisers of fraud compounds are rarely within reach of a court; without this, "
        "frozen funds must be released when the freezing order expires.",
    ),
    Proposal(
        "asset-confiscation",
        "TH",
        "Returning assets to victims",
        "Confiscated proceeds should be returned to identified victims first, including victims "
        "abroad, through a simple claims procedure that accepts evidence of transfers gathered by "
        "the victim's own police.",
    ),
    Proposal(
        "asset-confiscation",
        "LA",
        "Managing seized property",
        "Each State should designate an office to manage seized vehicles, real estate, "
        "cryptocurrency wallets and casino chips so that their value is preserved until a "
        "confiscation order is made.",
        "Property seized in special economic zones loses value quickly when nobody is "
        "responsible for it.",
    ),
    Proposal(
        "asset-confiscation",
        "KR",
        "가상자산 몰수 절차",
        "압수한 가상자산은 수사기관이 관리하는 전용 지갑으로 즉시 이전하고, 개인키의 생성·보관·접근 "
        "기록을 남겨 법원에서 증거능력을 입증할 수 있도록 한다.",
    ),
    # --- Victim and witness protection -------------------------------------------------------
    Proposal(
        "victim-protection",
        "PH",
        "Non-punishment principle",
        "Persons trafficked into fraud centres and compelled to commit offences there should not "
        "be prosecuted or punished for those offences; States should issue guidance for police "
        "and prosecutors on applying the non-punishment principle from the first interview.",
        "Rescued workers are still charged with fraud or immigration offences, which deters them "
        "from reporting and from testifying against the organisers.",
    ),
    Proposal(
        "victim-protection",
        "KH",
        "ការការពារសាក្សី",
        "ផ្តល់ការការពារដល់ជនរងគ្រោះ និងសាក្សីដែលផ្តល់សក្ខីកម្មប្រឆាំងនឹងអ្នករៀបចំមជ្ឈមណ្ឌលឆបោក "
        "រួមទាំងកន្លែងស្នាក់នៅដែលមានសុវត្ថិភាព និងការផ្តល់សក្ខីកម្មតាមវីដេអូពីចម្ងាយ។",
    ),
    Proposal(
        "victim-protection",
        "VN",
        "Hỗ trợ hồi hương nạn nhân",
        "Các quốc gia phối hợp xác minh danh tính và cấp giấy tờ đi lại khẩn cấp cho nạn nhân bị "
        "lừa đưa vào các trung tâm lừa đảo, đồng thời bảo đảm hỗ trợ y tế, tâm lý và pháp lý sau "
        "khi hồi hương.",
        "Nhiều nạn nhân bị giữ hộ chiếu và phải chờ nhiều tháng tại cơ sở lưu trú trước khi được "
        "về nước.",
    ),
    Proposal(
        "victim-protection",
        "LA",
        "ການກຳນົດຕົວຜູ້ຖືກເຄາະຮ້າຍ",
        "ນຳໃຊ້ຕົວຊີ້ວັດຮ່ວມກັນ ເພື່ອກຳນົດຕົວຜູ້ຖືກເຄາະຮ້າຍຈາກການຄ້າມະນຸດ "
        "ທີ່ຖືກບັງຄັບໃຫ້ເຮັດວຽກໃນສູນສໍ້ໂກງ, ແລະ ສົ່ງຕໍ່ພວກເຂົາໄປຫາໜ່ວຍງານຊ່ວຍເຫຼືອໂດຍໄວ.",
    ),
    Proposal(
        "victim-protection",
        "TH",
        "Screening for trafficking indicators",
        "Everyone leaving a raided fraud compound should be screened for indicators of "
        "trafficking by trained officers, with interpreters, before any decision on detention or "
        "deportation is taken.",
    ),
    Proposal(
        "victim-protection",
        "PH",
        "Hotline para sa mga biktima",
        "Magtatag ng iisang hotline at online na plataporma, sa mga wika ng rehiyon, kung saan "
        "maaaring humingi ng tulong ang mga taong nakakulong sa mga scam compound o ang kanilang "
        "mga kamag-anak.",
    ),
)
