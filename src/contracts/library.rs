//! The clause templates Accord ships, one or more per clause kind, in Chinese and English.
//! Brackets 【…】 / […] mark what the drafter fills in.

use crate::domain::ClauseKind;

#[derive(Clone, Debug)]
pub struct Template {
    /// `builtin:<key>` for shipped templates is spelled `key` here; the organisation's own are ids.
    pub key: String,
    pub kind: ClauseKind,
    pub title: String,
    pub body: String,
    pub builtin: bool,
}

impl Template {
    /// What a form or API call names it by.
    pub fn reference(&self) -> String {
        if self.builtin { format!("builtin:{}", self.key) } else { self.key.clone() }
    }
}

struct Shipped {
    key: &'static str,
    kind: ClauseKind,
    zh: (&'static str, &'static str),
    en: (&'static str, &'static str),
}

const SHIPPED: &[Shipped] = &[
    Shipped {
        key: "scope",
        kind: ClauseKind::Scope,
        zh: (
            "工作范围",
            "乙方按本合同附件《需求规格说明书》【版本号】完成【系统名称】的设计、开发、测试与部署。范围以外的工作须经双方书面确认的变更单后方可实施。",
        ),
        en: (
            "Scope of work",
            "The Supplier designs, builds, tests and deploys [system name] as described in the attached requirements specification [version]. Work outside this scope is carried out only after a change request both parties have approved in writing.",
        ),
    },
    Shipped {
        key: "schedule",
        kind: ClauseKind::Schedule,
        zh: (
            "进度安排",
            "乙方应于【日期】前完成【里程碑】。因甲方原因造成的延误，工期相应顺延；因乙方原因延误的，按违约责任条款处理。",
        ),
        en: (
            "Schedule",
            "The Supplier completes [milestone] by [date]. Delays caused by the Customer extend the schedule accordingly; delays caused by the Supplier are handled under the liability clause.",
        ),
    },
    Shipped {
        key: "delivery_standard",
        kind: ClauseKind::DeliveryStandard,
        zh: (
            "交付标准",
            "交付物包括源代码、可执行程序、部署文档、用户手册及测试报告。代码须通过甲方的静态扫描，单元测试覆盖率不低于【80%】，无未关闭的严重缺陷。",
        ),
        en: (
            "Delivery standard",
            "Deliverables comprise source code, executables, deployment guide, user manual and test report. Code passes the Customer's static analysis, unit test coverage is at least [80 %], and no critical defect remains open.",
        ),
    },
    Shipped {
        key: "acceptance",
        kind: ClauseKind::Acceptance,
        zh: (
            "验收",
            "验收分初验与终验。乙方提交交付物后，甲方应在【10】个工作日内按验收标准逐项检查并出具书面结论；未通过的，乙方应在【10】个工作日内整改后重新提交。终验通过之日起进入质保期。",
        ),
        en: (
            "Acceptance",
            "Acceptance has an initial and a final stage. Within [10] working days of a submission the Customer checks each acceptance criterion and gives a written outcome; after a rejection the Supplier remedies the defects and resubmits within [10] working days. The warranty period starts on the day of final acceptance.",
        ),
    },
    Shipped {
        key: "payment",
        kind: ClauseKind::Payment,
        zh: (
            "付款方式",
            "合同总价为含税价。甲方按以下节点付款：合同签订后支付【30%】预付款；初验通过后支付【40%】；终验通过后支付【25%】；质保期满后支付剩余【5%】质保金。乙方应在每期付款前开具等额增值税专用发票。",
        ),
        en: (
            "Payment",
            "The contract price includes tax. The Customer pays [30 %] on signature, [40 %] on initial acceptance, [25 %] on final acceptance and the remaining [5 %] retention when the warranty period ends. Before each payment the Supplier issues a VAT invoice for that amount.",
        ),
    },
    Shipped {
        key: "liability",
        kind: ClauseKind::Liability,
        zh: (
            "违约责任",
            "乙方逾期交付的，每逾期一日按合同总价的【0.5‰】支付违约金，累计不超过合同总价的【10%】。甲方逾期付款的，按同样标准承担违约责任。",
        ),
        en: (
            "Liability and breach",
            "For each day of late delivery the Supplier pays liquidated damages of [0.05 %] of the contract price, up to [10 %] in total. The Customer is liable on the same terms for late payment.",
        ),
    },
    Shipped {
        key: "ip",
        kind: ClauseKind::Ip,
        zh: (
            "知识产权",
            "本合同项下为甲方定制开发的成果（含源代码与文档）的知识产权自甲方付清相应款项之日起归甲方所有。乙方保证交付物不侵犯任何第三方的知识产权。",
        ),
        en: (
            "Intellectual property",
            "Intellectual property in the work made for the Customer under this contract, source code and documents included, passes to the Customer when the corresponding amount is paid. The Supplier warrants that the deliverables infringe no third party's rights.",
        ),
    },
    Shipped {
        key: "confidentiality",
        kind: ClauseKind::Confidentiality,
        zh: (
            "保密",
            "双方对在合作中获知的对方商业秘密和个人信息负有保密义务，未经对方书面同意不得向第三方披露。保密义务在合同终止后【3】年内继续有效。",
        ),
        en: (
            "Confidentiality",
            "Each party keeps the other's business secrets and personal data learnt in the work confidential and discloses them to no third party without written consent. This duty survives the end of the contract by [3] years.",
        ),
    },
    Shipped {
        key: "warranty",
        kind: ClauseKind::Warranty,
        zh: (
            "质保",
            "质保期为终验通过之日起【12】个月。质保期内乙方免费修复交付物的缺陷，严重缺陷须在【24】小时内响应、【72】小时内修复。",
        ),
        en: (
            "Warranty",
            "The warranty period is [12] months from final acceptance. During it the Supplier fixes defects free of charge, responding to critical defects within [24] hours and fixing them within [72] hours.",
        ),
    },
    Shipped {
        key: "termination",
        kind: ClauseKind::Termination,
        zh: (
            "合同解除",
            "任何一方严重违约且在收到书面通知后【15】日内未纠正的，守约方有权解除合同。合同解除后，双方按已完成并验收的工作结算款项。",
        ),
        en: (
            "Termination",
            "Either party may terminate this contract if the other is in material breach and has not remedied it within [15] days of written notice. On termination the parties settle for work completed and accepted.",
        ),
    },
    Shipped {
        key: "other",
        kind: ClauseKind::Other,
        zh: (
            "争议解决",
            "因本合同引起的争议，双方应友好协商解决；协商不成的，提交【甲方所在地】有管辖权的人民法院诉讼解决。",
        ),
        en: (
            "Disputes",
            "The parties try to settle disputes arising from this contract amicably; failing that, a dispute goes to the competent court at [the Customer's seat].",
        ),
    },
];

fn make(s: &Shipped, lang: &str) -> Template {
    let (title, body) = if lang == "en" { s.en } else { s.zh };
    Template { key: s.key.to_owned(), kind: s.kind, title: title.to_owned(), body: body.to_owned(), builtin: true }
}

/// Every shipped template in `lang` (zh-CN unless `en`).
pub fn all(lang: &str) -> Vec<Template> {
    SHIPPED.iter().map(|s| make(s, lang)).collect()
}

pub fn builtin(key: &str, lang: &str) -> Option<Template> {
    SHIPPED.iter().find(|s| s.key == key).map(|s| make(s, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_clause_kind_has_a_template_in_both_languages() {
        for kind in ClauseKind::ALL {
            let zh = all("zh-CN").into_iter().find(|t| t.kind == *kind);
            let en = all("en").into_iter().find(|t| t.kind == *kind);
            assert!(zh.is_some_and(|t| !t.body.is_empty()), "{kind} zh-CN");
            assert!(en.is_some_and(|t| t.body.is_ascii()), "{kind} en");
        }
        assert_eq!(builtin("payment", "en").map(|t| t.reference()), Some("builtin:payment".to_owned()));
    }
}
