//! The record on a change of status or post: death, leaving the modelled universities, a
//! deferred member's month, a move (with its medical gap), a conversion to an established
//! post, a hire. Each books what moves (inherited balances, pooled-fund transfers, gap months)
//! into the month's aggregates, so that the ledger stays conserved; the monthly contributions
//! and pensions are in `insure`, which re-exports these.

use super::env::MonthEnv;
use super::insure::{scheme_index, scheme_of, statutory_month};
use crate::agent::{Agent, Status};
use crate::insurance::base::new_hire_base;
use crate::insurance::Scheme;
use crate::metrics::MonthAgg;
use crate::money::apply_ppm;
use crate::scenario::Scenario;

/// At death what is left in the personal account and the annuity goes to the heirs
/// (国办发〔2015〕18号 §9; the account balance is inheritable).
pub fn on_death(a: &mut Agent, agg: &mut MonthAgg) {
    let ins = &mut a.insurance;
    let acc = ins.pension_account.total();
    ins.pension_account = Default::default();
    ins.annuity.fund_notional();
    let ann = ins.annuity.total();
    ins.annuity = Default::default();
    agg.inherited += acc + ann;
}

/// Leaving the modelled universities: the person becomes a deferred member. The record stays
/// with the person (accounts are kept by the agency and keep earning the book rate), the
/// pension is claimed at the statutory month (国发〔2005〕38号; the paying place by
/// 国办发〔2009〕66号). Medical cover lapses, a gap beginning and the continuous run broken,
/// unless the person is insured elsewhere (`household::leaves_uncovered`, the same draw as the
/// panel's `left_uncovered` event); contributions made elsewhere are not modelled.
pub fn on_leave(s: &Scenario, a: &mut Agent, agg: &mut MonthAgg) {
    a.retire_month = statutory_month(s, a);
    let uncovered = crate::household::leaves_uncovered(s.simulation.seed, a, a.status_since);
    a.insurance.medical_elsewhere = !uncovered;
    if uncovered {
        a.insurance.medical_continuous = 0;
        agg.medical_gap_starts[a.track as usize] += 1;
    }
}

/// A month of a deferred member before its claim: a month of medical gap (or, insured
/// elsewhere, a month of cover), a month less of any waiting period, and the contributions'
/// value carried at the discount rate.
pub fn deferred_month(env: &MonthEnv, a: &mut Agent, agg: &mut MonthAgg) {
    let t = a.track as usize;
    let ins = &mut a.insurance;
    if ins.medical_elsewhere {
        ins.medical_months += 1;
        ins.medical_continuous += 1;
    } else {
        ins.medical_gap += 1;
        agg.medical_gap[t] += 1;
    }
    ins.medical_waiting = ins.medical_waiting.saturating_sub(1);
    ins.pension_paid_value *= 1.0 + env.discount_monthly;
    agg.deferred[t] += 1;
    agg.deferred_members[a.region as usize][scheme_index(scheme_of(a))] += 1;
}

/// The months without medical cover between two universities on a move: a geometric draw
/// with mean `careers.move_gap_months` from the agent's own stream. They are bridged or not
/// when the next payment is made (`resume_medical`).
pub fn move_gap(s: &Scenario, env: &MonthEnv, a: &mut Agent, agg: &mut MonthAgg) {
    let mean = s.careers.move_gap_months;
    if mean <= 0.0 {
        return;
    }
    let mut d = crate::rng::Draws::new(
        s.simulation.seed,
        a.id as u64,
        crate::rng::Purpose::MedicalGap,
        env.month.index(),
    );
    let stop = 1.0 / (1.0 + mean);
    let mut gap = 0u32;
    while gap < 120 && !d.chance(stop) {
        gap += 1;
    }
    if gap > 0 {
        let t = a.track as usize;
        a.insurance.medical_gap += gap;
        agg.medical_gap_starts[t] += 1;
        agg.medical_gap[t] += gap as u64;
    }
}

/// A move to another university. Across regions the pooled fund moves at the transfer rate on
/// the bases paid in the old region (国办发〔2009〕66号; 国发〔2015〕2号), the personal account
/// moves in full (it stays with the agent), and a new stay begins for the paying-place rule.
pub fn on_move(env: &MonthEnv, a: &mut Agent, to_region: u16, agg: &mut MonthAgg) {
    if to_region == a.region {
        return;
    }
    let r = &env.regions[a.region as usize].rates;
    let k = scheme_index(scheme_of(a));
    let transfer = apply_ppm(a.insurance.pooled_base_sum, r.pooled_transfer_ppm);
    agg.fund_transfer_out[a.region as usize][k] += transfer;
    agg.fund_transfer_in[to_region as usize][k] += transfer;
    a.insurance.pooled_base_sum = 0;
    a.insurance.reform_base_sum = 0;
    a.insurance.stays.enter(to_region);
}

/// Conversion of a contract post to an established one: the enterprise record moves into the
/// institution scheme (personal account in full, pooled fund at the transfer rate; 人社部规
/// 〔2017〕1号: on the bases paid since the 2014-10 reform), and enterprise years stay actual
/// years.
pub fn on_conversion(env: &MonthEnv, a: &mut Agent, agg: &mut MonthAgg) {
    if a.unified {
        // The unified scheme is the enterprise scheme whatever the post: nothing moves.
        return;
    }
    let r = &env.regions[a.region as usize].rates;
    let transfer = apply_ppm(a.insurance.reform_base_sum, r.pooled_transfer_ppm);
    let region = a.region as usize;
    agg.fund_transfer_out[region][scheme_index(Scheme::Enterprise)] += transfer;
    agg.fund_transfer_in[region][scheme_index(Scheme::Institution)] += transfer;
    a.insurance.pooled_base_sum = 0;
    a.insurance.reform_base_sum = 0;
}

/// A new hire: first-year base from the first month's wage, statutory retirement month, and
/// the record of any earlier service.
pub fn on_hire(s: &Scenario, env: &MonthEnv, a: &mut Agent) {
    let r = &env.regions[a.region as usize];
    a.insurance.base = new_hire_base(a.wage(), r.limits);
    a.retire_month = statutory_month(s, a);
    a.status = Status::Active;
}

#[cfg(test)]
mod tests {
    use super::super::insure::tests::setup;
    use super::*;
    use crate::agent::Track;

    #[test]
    fn conversion_moves_twelve_percent_of_bases_since_the_reform() {
        // docs/RULES.md §5.2, docs/RULES-EXAMPLES.md E9: 9,000 a month for the 120 months 2014-10..2024-09 → 129,600.
        let (_, env, mut a, mut agg) = setup();
        a.insurance.pooled_base_sum = 900_000 * 300; // since 1998: not what moves
        a.insurance.reform_base_sum = 900_000 * 120;
        on_conversion(&env, &mut a, &mut agg);
        let r = a.region as usize;
        assert_eq!(agg.fund_transfer_out[r][0], 12_960_000);
        assert_eq!(agg.fund_transfer_in[r][1], 12_960_000);
        assert_eq!(
            (a.insurance.pooled_base_sum, a.insurance.reform_base_sum),
            (0, 0)
        );
    }

    #[test]
    fn cross_region_move_transfers_pooled_fund_and_starts_a_stay() {
        // E9: 6,000 a month for 8 years → 69,120 moves with the person.
        let (s, env, mut a, mut agg) = setup();
        a.track = Track::Contract;
        a.insurance.pooled_base_sum = 600_000 * 96;
        let to = s.region_index("beijing").unwrap() as u16;
        let from = a.region as usize;
        on_move(&env, &mut a, to, &mut agg);
        assert_eq!(agg.fund_transfer_out[from][0], 6_912_000);
        assert_eq!(agg.fund_transfer_in[to as usize][0], 6_912_000);
        assert_eq!(a.insurance.stays.iter().last(), Some((to, 0)));
    }
}
