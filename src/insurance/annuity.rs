//! Annuities at payout: when and how a member may draw the occupational annuity (职业年金) and
//! the enterprise annuity (企业年金), and the individual income tax on what is drawn.
//!
//! **Payout choices.**
//! - Enterprise annuity, 《企业年金办法》(人力资源社会保障部 财政部令第36号, 2017-12-18, in force
//!   2018-02-01), art. 24–25: on reaching the statutory retirement age or on complete loss of
//!   working capacity the member may draw the account monthly (按月), in instalments (分次) or
//!   at once (一次性), or use all or part of it to buy a commercial pension insurance product;
//!   on settling abroad (出国（境）定居) the account may be paid at once on request; on death the
//!   balance is inherited. Before one of these events nothing may be drawn.
//! - Occupational annuity, 国办发〔2015〕18号《机关事业单位职业年金办法》(2015-03-27), art. 9–10:
//!   after retiring under the rules the member chooses, once and for good, between monthly
//!   payments of balance ÷ the months of payment (计发月数) until the account is exhausted (the
//!   rest inheritable) and a one-off purchase of a commercial pension product; a lump sum is
//!   paid only on settling abroad (on request) or, to the heirs, on death.
//!
//! **Tax.** 财税〔2018〕164号《关于个人所得税法修改后有关优惠政策衔接问题的通知》(2018-12-27),
//! on annuity benefits: those drawn after the statutory retirement age in line with 财税〔2013〕103号
//! are not added to comprehensive income; their full amount is taxed on its own, without the
//! 5,000-yuan monthly deduction or any other deduction —
//! - drawn monthly: each month's amount under the monthly table (按月换算后的综合所得税率表);
//! - drawn quarterly: spread evenly over the quarter's months, each month's share under the
//!   monthly table;
//! - drawn yearly: the year's amount under the comprehensive-income (yearly) table;
//! - a lump sum on settling abroad, or paid to the heirs on death: the yearly table;
//! - a lump sum for any other reason: the monthly table on the whole amount.
//!
//! The tables are 《中华人民共和国个人所得税法》(2018 amendment) 附表一 and its monthly conversion.
//! Under 财税〔2013〕103号 the part of a payout that comes from individual contributions made
//! before 2014 and already taxed is not taxed again: pass only the taxable part.

use crate::money::Fen;

/// The document of the tax rules.
pub const TAX_SOURCE: &str =
    "财税〔2018〕164号《关于个人所得税法修改后有关优惠政策衔接问题的通知》(2018-12-27), on annuity benefits (企业年金、职业年金)";
/// The document of the enterprise-annuity payout rules.
pub const ENTERPRISE_SOURCE: &str =
    "《企业年金办法》(人力资源社会保障部 财政部令第36号, 2017-12-18), art. 24–25";
/// The document of the occupational-annuity payout rules.
pub const OCCUPATIONAL_SOURCE: &str =
    "国办发〔2015〕18号《机关事业单位职业年金办法》(2015-03-27), art. 9–10";

/// One bracket: upper bound (fen, inclusive), rate in percent, quick deduction (fen).
type Table = [(Fen, i64, Fen); 7];

/// 综合所得税率表 (yearly), 个人所得税法 附表一.
const YEARLY: Table = [
    (3_600_000, 3, 0),
    (14_400_000, 10, 252_000),
    (30_000_000, 20, 1_692_000),
    (42_000_000, 25, 3_192_000),
    (66_000_000, 30, 5_292_000),
    (96_000_000, 35, 8_592_000),
    (Fen::MAX, 45, 18_192_000),
];

/// 按月换算后的综合所得税率表 (monthly).
const MONTHLY: Table = [
    (300_000, 3, 0),
    (1_200_000, 10, 21_000),
    (2_500_000, 20, 141_000),
    (3_500_000, 25, 266_000),
    (5_500_000, 30, 441_000),
    (8_000_000, 35, 716_000),
    (Fen::MAX, 45, 1_516_000),
];

/// Which table a payout is taxed under.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TaxTable {
    Monthly,
    Yearly,
}

impl TaxTable {
    fn brackets(self) -> &'static Table {
        match self {
            TaxTable::Monthly => &MONTHLY,
            TaxTable::Yearly => &YEARLY,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TaxTable::Monthly => "monthly table (按月换算后的综合所得税率表)",
            TaxTable::Yearly => "yearly table (综合所得税率表)",
        }
    }

    /// Tax on `amount` under this table: amount × rate − quick deduction, the rate of the
    /// bracket the whole amount falls in, rounded half up to the fen; nothing on 0 or less.
    pub fn tax(self, amount: Fen) -> Fen {
        if amount <= 0 {
            return 0;
        }
        let table = self.brackets();
        let &(_, rate, quick) = table
            .iter()
            .find(|(upper, _, _)| amount <= *upper)
            .unwrap_or(&table[table.len() - 1]);
        ((amount as i128 * rate as i128 + 50) / 100) as Fen - quick
    }

    /// The marginal rate in percent of the bracket `amount` falls in.
    pub fn rate_percent(self, amount: Fen) -> i64 {
        let table = self.brackets();
        table
            .iter()
            .find(|(upper, _, _)| amount <= *upper)
            .unwrap_or(&table[table.len() - 1])
            .1
    }
}

/// How often a periodic payout is made.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Frequency {
    Monthly,
    Quarterly,
    Yearly,
}

/// Why a balance is taken at once.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LumpSumReason {
    /// Settling abroad (出国（境）定居).
    Emigration,
    /// Paid to the designated beneficiary or the heirs after death.
    Death,
    /// Any other reason (the enterprise annuity allows it at retirement).
    Other,
}

/// One payout to be taxed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Payout {
    /// One payment of a periodic payout (a month's, a quarter's or a year's amount).
    Periodic { frequency: Frequency, amount: Fen },
    /// A balance taken at once.
    LumpSum { reason: LumpSumReason, amount: Fen },
}

/// A payout with its tax.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxedPayout {
    pub gross: Fen,
    pub tax: Fen,
    pub net: Fen,
    pub table: TaxTable,
    /// The rule applied, in words.
    pub rule: &'static str,
}

/// The individual income tax on one annuity payout (财税〔2018〕164号): the full taxable
/// amount, alone, under the table its form of payment calls for.
pub fn payout_tax(payout: Payout) -> TaxedPayout {
    let (gross, tax, table, rule) = match payout {
        Payout::Periodic {
            frequency: Frequency::Monthly,
            amount,
        } => (
            amount,
            TaxTable::Monthly.tax(amount),
            TaxTable::Monthly,
            "drawn monthly: each month's full amount under the monthly table",
        ),
        Payout::Periodic {
            frequency: Frequency::Quarterly,
            amount,
        } => {
            // Spread evenly over the three months; the fen left over goes to the last month.
            let month = amount.div_euclid(3);
            let last = amount - 2 * month;
            let tax = 2 * TaxTable::Monthly.tax(month) + TaxTable::Monthly.tax(last);
            (
                amount,
                tax,
                TaxTable::Monthly,
                "drawn quarterly: spread evenly over the quarter's months, each month under the monthly table",
            )
        }
        Payout::Periodic {
            frequency: Frequency::Yearly,
            amount,
        } => (
            amount,
            TaxTable::Yearly.tax(amount),
            TaxTable::Yearly,
            "drawn yearly: the year's full amount under the yearly table",
        ),
        Payout::LumpSum {
            reason: LumpSumReason::Emigration | LumpSumReason::Death,
            amount,
        } => (
            amount,
            TaxTable::Yearly.tax(amount),
            TaxTable::Yearly,
            "taken at once on settling abroad or paid to the heirs: the yearly table",
        ),
        Payout::LumpSum {
            reason: LumpSumReason::Other,
            amount,
        } => (
            amount,
            TaxTable::Monthly.tax(amount),
            TaxTable::Monthly,
            "taken at once for another reason: the whole amount under the monthly table",
        ),
    };
    TaxedPayout {
        gross,
        tax,
        net: gross - tax,
        table,
        rule,
    }
}

/// Which annuity.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AnnuityKind {
    /// 职业年金 of established staff (国办发〔2015〕18号).
    Occupational,
    /// 企业年金 (人社部令第36号).
    Enterprise,
}

/// The event that opens the account.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PayoutEvent {
    /// Retirement at (or, under the rules, after) the statutory age.
    Retirement,
    /// Complete loss of working capacity (完全丧失劳动能力).
    Disability,
    /// Settling abroad.
    Emigration,
    /// Death of the member (payment to the heirs).
    Death,
    /// None of the above (still working, leaving the employer): nothing may be drawn.
    None,
}

/// A way of drawing the account.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PayoutChoice {
    /// Monthly payments (the occupational annuity: balance ÷ 计发月数 until exhausted).
    Monthly,
    /// Payments in instalments (分次), e.g. yearly.
    Instalments,
    /// The whole balance at once.
    LumpSum,
    /// All (or, for the enterprise annuity, part) of the balance used to buy a commercial
    /// pension insurance product.
    CommercialAnnuity,
}

impl PayoutChoice {
    pub fn word(self) -> &'static str {
        match self {
            PayoutChoice::Monthly => "monthly",
            PayoutChoice::Instalments => "instalments",
            PayoutChoice::LumpSum => "lump_sum",
            PayoutChoice::CommercialAnnuity => "commercial_annuity",
        }
    }
}

/// The choices the rules allow for `kind` on `event`, in the documents' order.
pub fn allowed_choices(kind: AnnuityKind, event: PayoutEvent) -> &'static [PayoutChoice] {
    use PayoutChoice::*;
    match (kind, event) {
        (AnnuityKind::Enterprise, PayoutEvent::Retirement | PayoutEvent::Disability) => {
            &[Monthly, Instalments, LumpSum, CommercialAnnuity]
        }
        (AnnuityKind::Occupational, PayoutEvent::Retirement) => &[Monthly, CommercialAnnuity],
        (_, PayoutEvent::Emigration | PayoutEvent::Death) => &[LumpSum],
        // The occupational annuity is drawn on retirement; a disabled member draws it on the
        // retirement that follows.
        (AnnuityKind::Occupational, PayoutEvent::Disability) | (_, PayoutEvent::None) => &[],
    }
}

/// Whether `choice` is allowed for `kind` on `event`; the error names the rule and what is
/// allowed.
pub fn check_choice(
    kind: AnnuityKind,
    event: PayoutEvent,
    choice: PayoutChoice,
) -> Result<(), String> {
    let allowed = allowed_choices(kind, event);
    if allowed.contains(&choice) {
        return Ok(());
    }
    let source = match kind {
        AnnuityKind::Enterprise => ENTERPRISE_SOURCE,
        AnnuityKind::Occupational => OCCUPATIONAL_SOURCE,
    };
    let list: Vec<&str> = allowed.iter().map(|c| c.word()).collect();
    Err(format!(
        "`{}` is not allowed on {event:?} ({source}); allowed: {}",
        choice.word(),
        if list.is_empty() {
            "nothing may be drawn".to_string()
        } else {
            list.join(", ")
        }
    ))
}

/// The tax of the first payment under `choice` for a balance `balance`, paid monthly as
/// `monthly` (balance ÷ divisor) or in `instalments` equal yearly payments. The commercial
/// product is taxed by its insurer, not here: `None`.
pub fn first_payment_tax(
    choice: PayoutChoice,
    event: PayoutEvent,
    balance: Fen,
    monthly: Fen,
    instalments: u32,
) -> Option<TaxedPayout> {
    match choice {
        PayoutChoice::Monthly => Some(payout_tax(Payout::Periodic {
            frequency: Frequency::Monthly,
            amount: monthly,
        })),
        PayoutChoice::Instalments => Some(payout_tax(Payout::Periodic {
            frequency: Frequency::Yearly,
            amount: balance / i64::from(instalments.max(1)),
        })),
        PayoutChoice::LumpSum => Some(payout_tax(Payout::LumpSum {
            reason: match event {
                PayoutEvent::Emigration => LumpSumReason::Emigration,
                PayoutEvent::Death => LumpSumReason::Death,
                _ => LumpSumReason::Other,
            },
            amount: balance,
        })),
        PayoutChoice::CommercialAnnuity => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_are_continuous_at_every_bracket_edge() {
        for table in [TaxTable::Monthly, TaxTable::Yearly] {
            for w in table.brackets().windows(2) {
                let edge = w[0].0;
                let below = edge * w[0].1 / 100 - w[0].2;
                let above = edge * w[1].1 / 100 - w[1].2;
                assert_eq!(below, above, "{table:?} edge {edge}");
                assert_eq!(table.tax(edge), below);
            }
        }
        // The monthly table is the yearly one divided by twelve.
        for (m, y) in MONTHLY.iter().zip(YEARLY.iter()).take(6) {
            assert_eq!((m.0 * 12, m.1, m.2 * 12), (y.0, y.1, y.2));
        }
    }

    #[test]
    fn monthly_payouts_are_taxed_in_full_without_the_monthly_deduction() {
        // E3's occupational annuity, 4,273.50 a month: 10 % − 210 = 217.35 (no 5,000 deduction).
        let t = payout_tax(Payout::Periodic {
            frequency: Frequency::Monthly,
            amount: 427_350,
        });
        assert_eq!(
            (t.tax, t.net, t.table),
            (21_735, 405_615, TaxTable::Monthly)
        );
        // 2,000 a month: 3 % = 60.
        assert_eq!(TaxTable::Monthly.tax(200_000), 6_000);
        assert_eq!(TaxTable::Monthly.tax(0), 0);
        assert_eq!(TaxTable::Monthly.tax(-5), 0);
    }

    #[test]
    fn a_quarter_is_spread_over_its_months() {
        // 12,000 a quarter = 4,000 a month: 3 × (400 − 210) = 570; taxed as one month it would
        // be 12,000 × 10 % − 210 = 990.
        let q = payout_tax(Payout::Periodic {
            frequency: Frequency::Quarterly,
            amount: 1_200_000,
        });
        assert_eq!(q.tax, 57_000);
        assert_eq!(TaxTable::Monthly.tax(1_200_000), 99_000);
        // A quarter whose fen do not divide by three: 100.01 → 33.33 + 33.33 + 33.35.
        let odd = payout_tax(Payout::Periodic {
            frequency: Frequency::Quarterly,
            amount: 10_001,
        });
        assert_eq!(odd.tax, 100 + 100 + 100);
    }

    #[test]
    fn yearly_payouts_and_lump_sums_by_reason() {
        // 120,000 a year: 10 % − 2,520 = 9,480.
        let y = payout_tax(Payout::Periodic {
            frequency: Frequency::Yearly,
            amount: 12_000_000,
        });
        assert_eq!((y.tax, y.table), (948_000, TaxTable::Yearly));
        // 300,000 at once: on emigration or to the heirs 20 % − 16,920 = 43,080; for another
        // reason 45 % − 15,160 = 119,840.
        for reason in [LumpSumReason::Emigration, LumpSumReason::Death] {
            let t = payout_tax(Payout::LumpSum {
                reason,
                amount: 30_000_000,
            });
            assert_eq!(
                (t.tax, t.table),
                (4_308_000, TaxTable::Yearly),
                "{reason:?}"
            );
        }
        let other = payout_tax(Payout::LumpSum {
            reason: LumpSumReason::Other,
            amount: 30_000_000,
        });
        assert_eq!((other.tax, other.net), (11_984_000, 18_016_000));
        assert_eq!(TaxTable::Monthly.rate_percent(30_000_000), 45);
    }

    #[test]
    fn payout_choices_follow_the_two_documents() {
        use PayoutChoice::*;
        let ok = |k, e, c| check_choice(k, e, c).is_ok();
        // Enterprise annuity at retirement: monthly, instalments, at once or an insurance product.
        for c in [Monthly, Instalments, LumpSum, CommercialAnnuity] {
            assert!(ok(AnnuityKind::Enterprise, PayoutEvent::Retirement, c));
            assert!(ok(AnnuityKind::Enterprise, PayoutEvent::Disability, c));
        }
        // Occupational annuity at retirement: monthly by the divisor or an insurance product.
        assert!(ok(
            AnnuityKind::Occupational,
            PayoutEvent::Retirement,
            Monthly
        ));
        assert!(ok(
            AnnuityKind::Occupational,
            PayoutEvent::Retirement,
            CommercialAnnuity
        ));
        let e =
            check_choice(AnnuityKind::Occupational, PayoutEvent::Retirement, LumpSum).unwrap_err();
        assert!(
            e.contains("国办发〔2015〕18号") && e.contains("monthly, commercial_annuity"),
            "{e}"
        );
        // Both: at once on emigration or death, nothing before an event.
        for k in [AnnuityKind::Occupational, AnnuityKind::Enterprise] {
            assert!(ok(k, PayoutEvent::Emigration, LumpSum));
            assert!(ok(k, PayoutEvent::Death, LumpSum));
            assert!(!ok(k, PayoutEvent::Death, Monthly));
            let e = check_choice(k, PayoutEvent::None, LumpSum).unwrap_err();
            assert!(e.contains("nothing may be drawn"), "{e}");
        }
    }

    #[test]
    fn first_payment_tax_by_choice() {
        let balance = 50_000_000; // 500,000 yuan
        let monthly = 427_350;
        let m = first_payment_tax(
            PayoutChoice::Monthly,
            PayoutEvent::Retirement,
            balance,
            monthly,
            10,
        )
        .unwrap();
        assert_eq!(m.tax, 21_735);
        // Ten yearly instalments of 50,000: 10 % − 2,520 = 2,480.
        let i = first_payment_tax(
            PayoutChoice::Instalments,
            PayoutEvent::Retirement,
            balance,
            monthly,
            10,
        )
        .unwrap();
        assert_eq!(i.tax, 248_000);
        // At once at retirement (enterprise annuity): 45 % − 15,160 = 209,840; on emigration
        // the yearly table: 30 % − 52,920 = 97,080.
        let l = first_payment_tax(
            PayoutChoice::LumpSum,
            PayoutEvent::Retirement,
            balance,
            monthly,
            10,
        )
        .unwrap();
        assert_eq!(l.tax, 20_984_000);
        let e = first_payment_tax(
            PayoutChoice::LumpSum,
            PayoutEvent::Emigration,
            balance,
            monthly,
            10,
        )
        .unwrap();
        assert_eq!(e.tax, 9_708_000);
        assert!(first_payment_tax(
            PayoutChoice::CommercialAnnuity,
            PayoutEvent::Retirement,
            balance,
            monthly,
            10
        )
        .is_none());
    }
}
