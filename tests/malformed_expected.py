"""The malformed-seed corpus: each file in tests/malformed/ breaks one rule.

A case copies the valid fixture in tests/fixtures/minimal/, replaces one seed file
(named in the case file name: NN_what.<kind>.yaml) with the malformed one, and expects
exactly these problems (file, line, field, message) and that a build writes nothing.
"""
from __future__ import annotations

EXPECTED = {
    '01_yaml_syntax_error.organizations.yaml': [
        ('organizations.yaml', 10, '', "YAML syntax error: expected ',' or ']', but got ':'"),
    ],
    '02_unknown_field.organizations.yaml': [
        ('organizations.yaml', 10, 'headquarters', "unknown field 'headquarters'; allowed here: aliases, country, curated, formed_by, former_names, id, multinational, name, note, sources, stakes, subsidiary_of, type, unknown"),
    ],
    '03_missing_required_field.organizations.yaml': [
        ('organizations.yaml', 7, 'name', 'required field is missing'),
    ],
    '04_dangling_party.deals.yaml': [
        ('deals.yaml', 4, 'parties.licensee.0', "no organization with id or name 'umbrella'"),
    ],
    '05_duplicate_id.organizations.yaml': [
        ('organizations.yaml', 14, 'id', "duplicate id 'acme' (first defined at line 1)"),
    ],
    '06_alias_claimed_twice.organizations.yaml': [
        ('organizations.yaml', 9, 'aliases', "'Acme' is already a name of organization 'acme'"),
    ],
    '07_unknown_currency.deals.yaml': [
        ('deals.yaml', 10, 'terms.upfront.0', "unknown currency 'XQZ': expected an ISO 4217 code such as USD, CNY, EUR"),
    ],
    '08_unknown_modality.assets.yaml': [
        ('assets.yaml', 3, 'modality', "unknown modality 'nanobot': expected one of adc, ai-discovery, antibody, biologic, bispecific-adc, bispecific-antibody, car-t, cell-therapy, conjugation-platform, device, diagnostic, fusion-protein, gene-editing, gene-therapy, genetic-medicine, imaging-device, implant, in-vivo-car-t, monoclonal-antibody, mrna, multiple, multispecific-antibody, oligonucleotide, peptide, platform-technology, protac, protein, radiopharmaceutical, rnai, small-molecule, surgical-device, surgical-robot, traditional-chinese-medicine, unspecified, vaccine"),
    ],
    '09_negative_amount.deals.yaml': [
        ('deals.yaml', 10, 'terms.upfront.0', "'USD -50 million' is negative: amounts cannot be negative"),
    ],
    '10_non_numeric_amount.deals.yaml': [
        ('deals.yaml', 10, 'terms.upfront.0', "'USD fifty million' is not an amount: write e.g. 'USD 500 million', 'up to USD 1.2 billion', 'undisclosed' or 'none'"),
    ],
    '11_impossible_date.deals.yaml': [
        ('deals.yaml', 3, 'date', "'2025-02-30' is an impossible date (day is out of range for month)"),
    ],
    '12_percentage_over_100.deals.yaml': [
        ('deals.yaml', 13, 'cost_split.0.percent', 'a percentage cannot exceed 100 (got 140)'),
    ],
    '13_missing_sources.assets.yaml': [
        ('assets.yaml', 1, 'sources', 'required field is missing'),
    ],
    '14_malformed_citation.events.yaml': [
        ('events.yaml', 8, 'sources.0', "'mini-line-4' is not a citation: write document-id:line, e.g. caixin-2026:14"),
    ],
    '15_unknown_document.organizations.yaml': [
        ('organizations.yaml', 19, 'sources.0', "cites unknown source document 'elsewhere' (not in sources.yaml)"),
    ],
    '16_unknown_deal_type.deals.yaml': [
        ('deals.yaml', 2, 'type', "unknown deal type 'handshake': expected one of acquisition, co-development, distribution, equity-investment, fund-formation, incubator-residency, licence, localisation, newco, option, procurement, research-collaboration, strategic-collaboration"),
    ],
    '17_unknown_role.deals.yaml': [
        ('deals.yaml', 4, 'parties', "unknown role 'lender': expected one of acquirer, buyer, co-developer, host, investee, investor, licensee, licensor, partner, seller, target"),
    ],
    '18_unknown_country.organizations.yaml': [
        ('organizations.yaml', 4, 'country', "unknown country 'XX': expected an ISO 3166-1 alpha-2 code such as CN, US, GB"),
    ],
    '19_unknown_stage.assets.yaml': [
        ('assets.yaml', 4, 'stage', "unknown stage 'phase-9': expected one of approved, clinical, discovery, filed, ind, marketed, phase-1, phase-1-2, phase-2, phase-3, preclinical, unknown"),
    ],
    '20_not_a_list.assets.yaml': [
        ('assets.yaml', 1, '', "expected a list of assets records (each starting with '- id:')"),
    ],
    '21_record_not_a_mapping.events.yaml': [
        ('events.yaml', 1, '', 'expected a record (a mapping of field: value)'),
    ],
    '22_invalid_id.assets.yaml': [
        ('assets.yaml', 1, 'id', "'AB 101' is not a valid id: use lower-case letters, digits, '.', '_' and '-'"),
    ],
    '23_bare_number_money.deals.yaml': [
        ('deals.yaml', 10, 'terms.upfront.0', "write money as a phrase with its currency, e.g. 'USD 50 million', not a bare number (50000000)"),
    ],
    '24_unknown_term_kind.deals.yaml': [
        ('deals.yaml', 10, 'terms', "unknown term kind 'signing_bonus': expected one of development_milestones, equity, milestones, near_term, payment, regulatory_milestones, retained, sales_milestones, total, upfront, upfront_equity"),
    ],
    '25_statistic_percent_over_100.statistics.yaml': [
        ('statistics.yaml', 4, 'value', 'a percentage cannot exceed 100 (got 112)'),
    ],
    '26_event_without_subject.events.yaml': [
        ('events.yaml', 1, 'deal', 'an event must concern a deal, an asset or an organization (give deal, assets, orgs or agency)'),
    ],
    '27_dangling_asset.deals.yaml': [
        ('deals.yaml', 5, 'assets.0', "no asset with id or name 'AB-999'"),
    ],
    '28_dangling_deal.events.yaml': [
        ('events.yaml', 3, 'deal', "no deal with id or name '2025-03-acme-initech'"),
    ],
    '29_duplicate_key.assets.yaml': [
        ('assets.yaml', 5, 'stage', 'key appears twice in the same record'),
    ],
    '30_negative_stake.organizations.yaml': [
        ('organizations.yaml', 18, 'stakes.0.percent', 'a percentage cannot be negative (got -5)'),
    ],
    '31_unknown_territory.deals.yaml': [
        ('deals.yaml', 7, 'territory_exclude.0', "unknown place 'NARNIA': expected one of AD, AE, AF, AG, AI, AL, AM, AO, AQ, AR, AS, ASIA-PACIFIC, AT, AU, AW, AX, AZ, BA, BB, BD, BE, BF, BG, BH, BI, BJ, BL, BM, BN, BO, BQ, BR, BS, BT, BV, BW, BY, BZ, CA, CC … (258 in all, see the ontology)"),
    ],
    '32_several_errors.deals.yaml': [
        ('deals.yaml', 2, 'type', "unknown deal type 'handshake': expected one of acquisition, co-development, distribution, equity-investment, fund-formation, incubator-residency, licence, localisation, newco, option, procurement, research-collaboration, strategic-collaboration"),
        ('deals.yaml', 3, 'date', "'2025-13-01' is an impossible date (month must be in 1..12)"),
        ('deals.yaml', 13, 'cost_split.0.percent', 'a percentage cannot exceed 100 (got 101)'),
    ],
    '33_impossible_month.sources.yaml': [
        ('sources.yaml', 4, 'date', "'2025-00' is an impossible date (month must be in 1..12)"),
    ],
}
