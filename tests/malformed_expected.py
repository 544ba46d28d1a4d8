"""The malformed-seed corpus: each file in tests/malformed/ breaks one rule.

A case copies the valid fixture in tests/fixtures/minimal/, replaces one seed file
(named in the case file name: NN_what.<kind>.yaml) with the malformed one, and expects
exactly these problems (file, line, field, message) and that a build writes nothing.
"""
from __future__ import annotations

EXPECTED = {
    '01_yaml_syntax_error.organizations.yaml': [
        ('organizations.yaml', 10, '', "YAML syntax error: did not find expected ',' or ']'"),
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
    # ---- hardening (issue #14): decoding, control characters, YAML structure, graph rules, bounds
    '34_latin1_byte.organizations.yaml': [
        ('organizations.yaml', 6, '', 'not UTF-8: byte 0xE9 at column 12 cannot be read; save the file as UTF-8'),
    ],
    '35_utf16_file.deals.yaml': [
        ('deals.yaml', 1, '', 'the file is UTF-16, not UTF-8; save it as UTF-8'),
    ],
    '36_utf16_without_bom.deals.yaml': [
        ('deals.yaml', 1, '', 'the file is UTF-16, not UTF-8; save it as UTF-8'),
    ],
    '37_utf32_file.assets.yaml': [
        ('assets.yaml', 1, '', 'the file is UTF-32, not UTF-8; save it as UTF-8'),
    ],
    '38_raw_control_character.organizations.yaml': [
        ('organizations.yaml', 8, '', 'control character U+0007 at column 15; text cannot hold control characters'),
    ],
    '39_nul_byte.assets.yaml': [
        ('assets.yaml', 2, '', 'control character U+0000 at column 12; text cannot hold control characters'),
    ],
    '40_escaped_control_character.organizations.yaml': [
        ('organizations.yaml', 2, 'name', 'text holds control character U+001B; remove it'),
    ],
    '41_complex_key_list.deals.yaml': [
        ('deals.yaml', 9, '', 'a key must be plain text, not a list'),
    ],
    '42_complex_key_mapping.assets.yaml': [
        ('assets.yaml', 5, '', 'a key must be plain text, not a mapping'),
    ],
    '43_five_thousand_nested_lists.assets.yaml': [
        ('assets.yaml', 2, '', 'YAML syntax error: exceeded maximum nesting depth'),
    ],
    '44_nesting_too_deep.events.yaml': [
        ('events.yaml', 51, 'note.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0… (100 characters)', 'nested more than 50 levels deep'),
    ],
    '45_recursive_alias.deals.yaml': [
        ('deals.yaml', 5, 'assets.1', 'an alias refers to a list or mapping that contains it (a recursive alias)'),
    ],
    '46_alias_bomb.assets.yaml': [
        ('assets.yaml', 1, 'e.0.2.4.6.6', 'aliases expand to more values than the file writes out; write the values out instead of repeating aliases'),
    ],
    '47_full_width_duplicate_name.organizations.yaml': [
        ('organizations.yaml', 21, 'name', "'ＡＣＭＥ Ｂｉｏ' is the same name as 'Acme Bio' of organization 'acme' once Unicode look-alikes are folded"),
    ],
    '48_bidi_override_in_name.organizations.yaml': [
        ('organizations.yaml', 15, 'name', 'a name cannot hold control or formatting characters (U+202E)'),
    ],
    '49_tab_in_name.assets.yaml': [
        ('assets.yaml', 2, 'name', 'a name cannot hold control or formatting characters (U+0009)'),
    ],
    '50_line_break_in_alias.organizations.yaml': [
        ('organizations.yaml', 9, 'aliases', 'a name cannot hold control or formatting characters (U+000A)'),
    ],
    '51_licensor_is_licensee.deals.yaml': [
        ('deals.yaml', 4, 'parties.licensee.0', "'acme' is on both sides of the deal (licensor and licensee)"),
    ],
    '52_party_twice_same_role.deals.yaml': [
        ('deals.yaml', 4, 'parties.licensee.1', "'globex' is listed twice as licensee"),
    ],
    '53_party_twice_two_roles.deals.yaml': [
        ('deals.yaml', 4, 'parties.partner.0', "'globex' is listed twice among the parties (licensee and partner)"),
    ],
    '54_own_subsidiary.organizations.yaml': [
        ('organizations.yaml', 5, 'subsidiary_of', 'an organization cannot be its own subsidiary'),
    ],
    '55_subsidiary_cycle.organizations.yaml': [
        ('organizations.yaml', 5, 'subsidiary_of', 'subsidiary_of goes round in a cycle: acme → globex → acme'),
    ],
    '56_subsidiary_cycle_of_three.organizations.yaml': [
        ('organizations.yaml', 5, 'subsidiary_of', 'subsidiary_of goes round in a cycle: acme → globex → initech → acme'),
    ],
    '57_newco_formed_by_itself.organizations.yaml': [
        ('organizations.yaml', 17, 'formed_by.0', 'an organization cannot be formed by itself'),
    ],
    '58_formed_by_cycle.organizations.yaml': [
        ('organizations.yaml', 6, 'formed_by.0', 'formed_by goes round in a cycle: acme → initech → acme'),
    ],
    '59_stake_in_itself.organizations.yaml': [
        ('organizations.yaml', 18, 'stakes.0.org', 'an organization cannot hold a stake in itself'),
    ],
    '60_stake_cycle.organizations.yaml': [
        ('organizations.yaml', 13, 'stakes.0.org', 'stakes goes round in a cycle: globex → initech → globex'),
    ],
    '61_date_centuries_ahead.deals.yaml': [
        ('deals.yaml', 3, 'date', "'2925-03-14' is out of range: dates lie between 1900 and 2031"),
    ],
    '62_date_before_1900.events.yaml': [
        ('events.yaml', 3, 'date', "'1850-01' is out of range: dates lie between 1900 and 2031"),
    ],
    '63_source_date_ahead.sources.yaml': [
        ('sources.yaml', 4, 'date', "'9999' is out of range: dates lie between 1900 and 2031"),
    ],
    '64_commas_in_amount.deals.yaml': [
        ('deals.yaml', 10, 'terms.upfront.0', "'USD 1,,,200 million' is not an amount: '1,,,200' is not a well-formed number (group thousands by three: 1,200)"),
    ],
    '65_misgrouped_thousands.events.yaml': [
        ('events.yaml', 6, 'terms.retained.0', "'USD 12,00 million' is not an amount: '12,00' is not a well-formed number (group thousands by three: 1,200)"),
    ],
    '66_trailing_comma_in_amount.statistics.yaml': [
        ('statistics.yaml', 10, 'money.0', "'USD 3,500, million' is not an amount: '3,500,' is not a well-formed number (group thousands by three: 1,200)"),
    ],
    '67_negative_usd_in_mapping.deals.yaml': [
        ('deals.yaml', 10, 'terms.upfront.0', 'usd -50000000 is negative: amounts cannot be negative'),
    ],
    '68_negative_fx_rate.deals.yaml': [
        ('deals.yaml', 10, 'terms.upfront.0', 'fx_rate -0.14 is negative: an exchange rate cannot be negative'),
        ('deals.yaml', 10, 'terms.upfront.0', 'usd -49000000.00 is negative: amounts cannot be negative'),
    ],
    '69_negative_usd_in_statistic.statistics.yaml': [
        ('statistics.yaml', 10, 'money.0', 'usd -3.2E+9 is negative: amounts cannot be negative'),
    ],
    '70_absolute_document_path.sources.yaml': [
        ('sources.yaml', 6, 'file', "'/etc/passwd' must be a file name inside the documents folder, not an absolute path or one that climbs out with '..'"),
    ],
    '71_document_path_climbs_out.sources.yaml': [
        ('sources.yaml', 6, 'file', "'../../etc/passwd' must be a file name inside the documents folder, not an absolute path or one that climbs out with '..'"),
    ],
    '72_windows_drive_document_path.sources.yaml': [
        ('sources.yaml', 6, 'file', "'C:\\secrets\\mini.txt' must be a file name inside the documents folder, not an absolute path or one that climbs out with '..'"),
    ],
    '73_empty_required_file.organizations.yaml': [
        ('organizations.yaml', 1, '', 'the file holds no organizations records (it is empty or only comments)'),
    ],
    '74_comments_only_sources.sources.yaml': [
        ('sources.yaml', 1, '', 'the file holds no sources records (it is empty or only comments)'),
    ],
    '75_long_bad_value_cut.deals.yaml': [
        ('deals.yaml', 2, 'type', "unknown deal type 'handshakehandshakehandshakehandshakehandshakehandshakehandshakehandshakehandshak… (18000 characters)': expected one of acquisition, co-development, distribution, equity-investment, fund-formation, incubator-residency, licence, localisation, newco, option, procurement, research-collaboration, strategic-collaboration"),
    ],
    '76_unknown_yaml_tag.assets.yaml': [
        ('assets.yaml', 4, 'stage', "unknown stage '['true']': expected one of approved, clinical, discovery, filed, ind, marketed, phase-1, phase-1-2, phase-2, phase-3, preclinical, unknown"),
    ],
    '77_bad_int_tag.statistics.yaml': [
        ('statistics.yaml', 4, 'value', "'twelve' cannot be read as !!int"),
    ],
    '78_duplicate_nested_key.deals.yaml': [
        ('deals.yaml', 12, 'terms.upfront', 'key appears twice in the same record'),
    ],
    '79_tab_indentation.events.yaml': [
        ('events.yaml', 4, '', 'YAML syntax error: found a tab character that violates indentation'),
    ],
    '80_null_key.assets.yaml': [
        ('assets.yaml', 5, '', 'a key must be text, not None (put it in quotes)'),
    ],
    '81_integer_key.events.yaml': [
        ('events.yaml', 4, '', 'a key must be text, not 12 (put it in quotes)'),
    ],
    '82_nan_percent.organizations.yaml': [
        ('organizations.yaml', 18, 'stakes.0.percent', 'Input should be a finite number'),
    ],
    '83_infinite_statistic.statistics.yaml': [
        ('statistics.yaml', 4, 'value', 'Input should be a finite number'),
    ],
    '84_date_as_list.deals.yaml': [
        ('deals.yaml', 3, 'date', 'expected a date written YYYY, YYYY-MM, YYYY-MM-DD or a span of years YYYY/YYYY'),
    ],
    '85_name_is_a_mapping.organizations.yaml': [
        ('organizations.yaml', 8, 'name', 'Input should be a valid string'),
    ],
    '86_invalid_utf8_sequence.events.yaml': [
        ('events.yaml', 7, '', 'not UTF-8: byte 0xF0 at column 17 cannot be read; save the file as UTF-8'),
    ],
    '87_escape_sequence_in_title.deals.yaml': [
        ('deals.yaml', 3, 'title', 'text holds control character U+001B; remove it'),
    ],
    '88_zero_width_joiner_in_alias.organizations.yaml': [
        ('organizations.yaml', 3, 'aliases', 'a name cannot hold control or formatting characters (U+200D)'),
    ],
    '89_anchor_to_undefined_alias.deals.yaml': [
        ('deals.yaml', 5, '', 'YAML syntax error: found undefined alias'),
    ],
    '90_two_documents.assets.yaml': [
        ('assets.yaml', 7, '', 'YAML syntax error: but found another document'),
    ],
    '91_full_width_alias_of_other_record.organizations.yaml': [
        ('organizations.yaml', 9, 'aliases', "'ａｃｍｅ' is the same name as 'Acme' of organization 'acme' once Unicode look-alikes are folded"),
    ],
    '92_party_on_both_sides_of_acquisition.deals.yaml': [
        ('deals.yaml', 4, 'parties.target.0', "'globex' is on both sides of the deal (acquirer and target)"),
    ],
    '93_negative_percent_string.organizations.yaml': [
        ('organizations.yaml', 18, 'stakes.0.percent', 'a percentage cannot be negative (got -15)'),
    ],
    '94_amount_with_exponent.events.yaml': [
        ('events.yaml', 6, 'terms.retained.0', "'USD 2e7' is not an amount: write e.g. 'USD 500 million', 'up to USD 1.2 billion', 'undisclosed' or 'none'"),
    ],
    '95_bom_then_latin1.sources.yaml': [
        ('sources.yaml', 2, '', 'not UTF-8: byte 0xEE at column 13 cannot be read; save the file as UTF-8'),
    ],
}
