//! The compact encoding of states is exact: every reachable state of several
//! configurations (every variant, both freshness readings, both faults, both repairs)
//! decodes to itself, and sorting the Enactor records of the encoding puts a state in the
//! same symmetry class as the model's own renaming of Enactors does.

use std::collections::{HashSet, VecDeque};

use dnsrace_core::Presentation;
use dynamodb_dns::{DnsConfig, DnsModel, DnsState, Freshness, Repair, Variant};
use stateright::Model;

/// Checks the codec on the first `limit` states (breadth-first) of `config`; returns how
/// many it visited.
fn round_trip_reachable(config: DnsConfig, limit: usize) -> usize {
    let model: DnsModel = config.into_model();
    let codec = model.codec().expect("the DNS model has a codec");
    let records = codec.interchangeable_records().unwrap();
    let width = codec.packed_len();
    let mut seen = HashSet::new();
    let mut queue: VecDeque<DnsState> = model.init_states().into();
    let mut actions = Vec::new();
    let mut packed = vec![0; width];
    let mut canonical = vec![0; width];
    while let Some(state) = queue.pop_front() {
        codec.encode(&state, &mut packed);
        if !seen.insert(packed.clone()) {
            continue;
        }
        assert_eq!(codec.decode(&packed), state, "{config:?}");
        // The model's representative and the sorted records name the same class.
        let representative = model
            .representative(&state)
            .unwrap_or_else(|| state.clone());
        codec.encode(&representative, &mut canonical);
        records.canonicalize(&mut canonical);
        let mut sorted = packed.clone();
        records.canonicalize(&mut sorted);
        assert_eq!(sorted, canonical, "{config:?}");
        if seen.len() >= limit {
            break;
        }
        model.actions(&state, &mut actions);
        for action in actions.drain(..) {
            queue.extend(model.next_state(&state, action));
        }
    }
    seen.len()
}

#[test]
fn every_reachable_state_decodes_to_itself_under_every_variant_fault_and_reading() {
    for &variant in Variant::ALL {
        for freshness in Freshness::ALL {
            for repair in Repair::ALL {
                let config = DnsConfig {
                    enactors: 2,
                    endpoints: 2,
                    generations: 3,
                    variant,
                    freshness: *freshness,
                    operator_repair: true,
                    repair: *repair,
                    lock_expiry: true,
                    enactor_crash: true,
                    ..DnsConfig::default()
                };
                let states = round_trip_reachable(config, 20_000);
                assert!(states > 1_000, "{config:?}: only {states} states");
            }
        }
    }
}

#[test]
fn three_enactors_round_trip_and_share_classes_with_the_models_symmetry() {
    for &variant in Variant::ALL {
        let config = DnsConfig {
            enactors: 3,
            endpoints: 1,
            generations: 2,
            variant,
            ..DnsConfig::default()
        };
        round_trip_reachable(config, 100_000);
    }
}

#[test]
fn the_largest_configuration_encodes_in_61_bytes_and_round_trips() {
    let config = DnsConfig {
        enactors: 5,
        endpoints: 4,
        generations: 8,
        cleanup_threshold: 7,
        operator_repair: true,
        lock_expiry: true,
        enactor_crash: true,
        variant: Variant::LeaseAfterPickup,
        ..DnsConfig::default()
    };
    assert_eq!(config.into_model().codec().unwrap().packed_len(), 61);
    assert_eq!(round_trip_reachable(config, 30_000), 30_000);
}

#[test]
fn the_outage_scale_packs_a_state_in_41_bytes() {
    let codec_len = DnsConfig::default()
        .into_model()
        .codec()
        .unwrap()
        .packed_len();
    assert_eq!(codec_len, 41);
}
