//! Who the month's loops visit. Agents keep their positions in the staff vector (every
//! consumer finds an agent at the index of its id), and by the end of a long run three in four
//! of them are deferred, retired or dead. So the loops that need only some of them go through
//! lists of offsets per chunk of [`CHUNK`] positions instead of the whole vector: the agent
//! phase through the living, the yearly passes (peers, perceptions, promotions, conversions)
//! through the active staff. A pass over a list visits the same agents in the same order as a
//! pass over the vector that skips the others, so no figure depends on the lists.

use super::CHUNK;
use crate::agent::{Agent, Status};
use crate::rng::{AgentKey, Purpose, PurposeKey, SeedKey};

/// An agent the agent phase steps: its offset in its chunk, and its part of its random
/// streams' keys, hashed once when it joins the run instead of every month it is stepped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Visit {
    pub key: AgentKey,
    /// The key's part for the monthly mortality draw, which every living agent makes.
    pub mortality: PurposeKey,
    pub at: u16,
}

impl crate::agent::Listed for Visit {
    fn offset(self) -> usize {
        self.at as usize
    }
}

impl Visit {
    pub fn new(key: AgentKey, at: u16) -> Self {
        Visit {
            key,
            mortality: key.purpose(Purpose::Mortality),
            at,
        }
    }
}

/// The offsets, per chunk of [`CHUNK`] positions, of the living and of the active staff.
pub struct Roll {
    /// Agents not dead: what the agent phase steps (it prunes the month's deaths).
    pub live: Vec<Vec<Visit>>,
    /// Active staff as the last agent phase left them, plus the hires since. A member who
    /// leaves in the resolution phase stays listed until the next agent phase, so readers
    /// check [`Agent::is_active`]; an agent only becomes active when it joins the vector
    /// (a hire), so every active agent is listed.
    pub staff: Vec<Vec<u16>>,
    /// Agents listed so far (hires join at the end of the vector).
    listed: usize,
    /// The run's seed, the rest of the visits' keys.
    seed: SeedKey,
}

impl Roll {
    /// The roll of a staff vector in a run of `seed` (`Shared::seed`).
    pub fn of(agents: &[Agent], seed: SeedKey) -> Self {
        let mut roll = Roll {
            live: Vec::new(),
            staff: Vec::new(),
            listed: 0,
            seed,
        };
        roll.extend(agents);
        roll
    }

    /// Lists the agents added since the last call (all of them the first time).
    pub fn extend(&mut self, agents: &[Agent]) {
        let chunks = agents.len().div_ceil(CHUNK);
        if self.live.len() < chunks {
            self.live.resize_with(chunks, || Vec::with_capacity(CHUNK));
            self.staff.resize_with(chunks, Vec::new);
        }
        for (i, a) in agents.iter().enumerate().skip(self.listed) {
            let (c, j) = (i / CHUNK, (i % CHUNK) as u16);
            if a.status != Status::Dead {
                let key = self.seed.agent(a.id as u64);
                self.live[c].push(Visit::new(key, j));
            }
            if a.status == Status::Active {
                self.staff[c].push(j);
            }
        }
        self.listed = agents.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_living_with_their_keys_and_the_active_by_chunk_and_extends_with_new_agents() {
        let mut s = crate::scenario::Scenario::default();
        s.simulation.agents = 2 * CHUNK as u32 + 10;
        let mut agents = crate::population::synthetic(&s);
        for (i, a) in agents.iter_mut().enumerate() {
            a.status = match i % 4 {
                0 => Status::Active,
                1 => Status::Retired,
                2 => Status::Deferred,
                _ => Status::Dead,
            };
        }
        let seed = SeedKey::new(s.simulation.seed);
        let mut roll = Roll::of(&agents[..CHUNK + 3], seed);
        assert_eq!(roll.live.len(), 2);
        roll.extend(&agents);
        assert_eq!(roll.live.len(), 3);
        for (c, (live, staff)) in roll.live.iter().zip(&roll.staff).enumerate() {
            let part = &agents[c * CHUNK..((c + 1) * CHUNK).min(agents.len())];
            let want = |keep: &dyn Fn(&Agent) -> bool| -> Vec<u16> {
                (0..part.len() as u16)
                    .filter(|&j| keep(&part[j as usize]))
                    .collect()
            };
            let at: Vec<u16> = live.iter().map(|v| v.at).collect();
            assert_eq!(at, want(&|a| a.status != Status::Dead), "chunk {c}");
            for v in live {
                let id = part[v.at as usize].id as u64;
                assert_eq!(v.key, seed.agent(id), "the key of agent {id}");
            }
            assert_eq!(*staff, want(&|a| a.is_active()), "chunk {c}");
        }
    }

    /// Month by month through deaths, leavers, retirements and hires, across several chunks:
    /// the roll lists every living agent with its key and every active one, in order.
    #[test]
    fn stays_complete_through_a_run() {
        let mut s = crate::scenario::Scenario::default();
        s.simulation.agents = CHUNK as u32 + 500;
        s.simulation.years = 3;
        let agents = crate::population::synthetic(&s);
        let pool = super::super::thread_pool(2).unwrap();
        pool.install(|| {
            let mut sim = super::super::Simulation::new(&s, agents);
            let seed = SeedKey::new(s.simulation.seed);
            for month in 0..36 {
                sim.step();
                let roll = &sim.roll;
                assert_eq!(roll.live.len(), sim.agents.len().div_ceil(CHUNK));
                for (c, part) in sim.agents.chunks(CHUNK).enumerate() {
                    let living: Vec<Visit> = (0..part.len())
                        .filter(|&j| part[j].status != Status::Dead)
                        .map(|j| Visit::new(seed.agent(part[j].id as u64), j as u16))
                        .collect();
                    assert_eq!(roll.live[c], living, "month {month}, chunk {c}");
                    let listed = &roll.staff[c];
                    assert!(listed.windows(2).all(|w| w[0] < w[1]), "in order");
                    let mut on = vec![false; part.len()];
                    listed.iter().for_each(|&j| on[j as usize] = true);
                    for (j, a) in part.iter().enumerate() {
                        assert!(!a.is_active() || on[j], "month {month}: {j} missing");
                    }
                }
            }
            assert!(sim.agents.len() > CHUNK + 500, "hires joined");
        });
    }
}
