#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""iommudma-sim as a user runs it: flags, configuration errors, the default
scenario and its report (text and JSON), trace replay of every sample trace
with its expected counts, malformed and truncated traces, a trace.dat round
trip, and the benchmark's output format.

Run by meson (suite 'sim'):
    test_cli.py BINARY --traces DIR --configs DIR [--make-tracedat HELPER]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

ARGS = None
HERE = os.path.dirname(os.path.abspath(__file__))
CLI_DIR = os.path.join(HERE, 'cli')


def run(*args, timeout=120):
    """Run the CLI; return (exit status, stdout, stderr)."""
    p = subprocess.run([ARGS.binary, *args], capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def trace(name):
    return os.path.join(ARGS.traces, name)


def replay_json(path, *extra):
    code, out, err = run('replay', path, '--json', *extra)
    if code != 0:
        raise AssertionError(f'replay {path} exited {code}: {err}')
    return json.loads(out), err


class TestFlags(unittest.TestCase):
    def test_help_lists_every_command_and_option(self):
        code, out, _ = run('--help')
        self.assertEqual(code, 0)
        for word in ('replay TRACE', 'bench', '--config', '--seed', '--json', '--output',
                     '--svg', '--quiet', '--version', 'Exit status'):
            self.assertIn(word, out)

    def test_bench_help_lists_every_option(self):
        code, out, _ = run('bench', '--help')
        self.assertEqual(code, 0)
        for word in ('--threads', '--seconds', '--granule', '--dir', '--dma-bits',
                     '--delay-ns', '--sg', '--platform', '--noncoherent', '--iova',
                     '--live', '--pgtable', '--range-mib', '--smmu-granule'):
            self.assertIn(word, out)

    def test_version_names_the_library_and_page_size(self):
        code, out, _ = run('--version')
        self.assertEqual(code, 0)
        self.assertRegex(out, r'^iommudma-sim \(libiommudma\) \d+\.\d+\.\d+, PAGE_SIZE \d+')

    def test_unknown_flag_exits_2_with_a_hint(self):
        code, out, err = run('--no-such-flag')
        self.assertEqual(code, 2)
        self.assertEqual(out, '')
        self.assertIn("unknown option '--no-such-flag'", err)
        self.assertIn('--help', err)

    def test_flag_without_its_value_exits_2(self):
        code, _, err = run('--config')
        self.assertEqual(code, 2)
        self.assertIn('needs a value', err)

    def test_bad_seed_exits_2(self):
        code, _, err = run('--seed', 'abc')
        self.assertEqual(code, 2)
        self.assertIn('--seed', err)

    def test_stray_argument_exits_2(self):
        code, _, err = run('frobnicate')
        self.assertEqual(code, 2)
        self.assertIn("unexpected argument 'frobnicate'", err)

    def test_replay_without_a_trace_exits_2(self):
        code, _, err = run('replay')
        self.assertEqual(code, 2)
        self.assertIn('which trace', err)

    def test_replay_of_a_missing_file_exits_2(self):
        code, _, err = run('replay', '/nonexistent/trace.txt')
        self.assertEqual(code, 2)
        self.assertIn('/nonexistent/trace.txt', err)

    def test_replay_help_prints_the_usage(self):
        for flag in ('--help', '-h'):
            code, out, err = run('replay', flag)
            self.assertEqual(code, 0, flag)
            self.assertIn('iommudma-sim replay TRACE', out)
            self.assertEqual(err, '')

    def test_unwritable_output_exits_2_naming_the_file(self):
        code, out, err = run('--output', '/nonexistent/dir/report.txt')
        self.assertEqual(code, 2)
        self.assertEqual(out, '')
        self.assertIn('/nonexistent/dir/report.txt', err)

    def test_svg_into_a_file_exits_1_after_the_report(self):
        with tempfile.TemporaryDirectory() as tmp:
            blocker = os.path.join(tmp, 'a-file')
            open(blocker, 'w').close()
            code, out, err = run('--json', '--svg', os.path.join(blocker, 'svg'))
            self.assertEqual(code, 1)
            self.assertEqual(json.loads(out)['mode'], 'scenario')
            self.assertIn('--svg', err)
            self.assertIn('a-file', err)

    def test_bench_bad_values_exit_2(self):
        for args, what in ((['--threads', '0'], '--threads'), (['--dir', 'SIDEWAYS'], '--dir'),
                           (['--platform', 'x86'], '--platform'), (['--bogus'], 'unknown'),
                           (['--smmu-granule', '8K'], '--smmu-granule'),
                           (['--range-mib', '0'], '--range-mib'),
                           (['--iova', '--pgtable'], 'separate runs'),
                           (['--loops', '0'], '--loops'),
                           (['--iova', '--loops', '3'], '--loops counts')):
            code, _, err = run('bench', *args)
            self.assertEqual(code, 2, args)
            self.assertIn(what, err)


class TestConfig(unittest.TestCase):
    def test_unknown_key_names_file_and_line(self):
        path = os.path.join(CLI_DIR, 'bad-key.ini')
        code, out, err = run('--config', path)
        self.assertEqual(code, 2)
        self.assertEqual(out, '')
        self.assertIn(f"{path}:5: unknown key 'granul' in [iommu smmu0]", err)

    def test_undefined_iommu_names_file_and_line(self):
        path = os.path.join(CLI_DIR, 'bad-ref.ini')
        code, _, err = run('--config', path)
        self.assertEqual(code, 2)
        self.assertRegex(err, re.escape(path) + r':7: .*smmu9')

    def test_missing_config_file_exits_2(self):
        code, _, err = run('--config', '/nonexistent.ini')
        self.assertEqual(code, 2)
        self.assertIn('/nonexistent.ini', err)

    def test_config_builds_the_scenario_system(self):
        code, out, err = run('--config', os.path.join(CLI_DIR, 'scenario.ini'), '--json')
        self.assertEqual(code, 0, err)
        rep = json.loads(out)
        self.assertEqual(rep['system']['ram']['size'], 512 << 20)
        self.assertEqual(rep['system']['iommus'][0]['iotlb_entries'], 8)
        self.assertEqual(rep['data_errors'], 0)


    def test_config_without_devices_gets_the_scenario_devices(self):
        code, out, err = run('--config', os.path.join(CLI_DIR, 'iommu-only.ini'), '--json')
        self.assertEqual(code, 0, err)
        rep = json.loads(out)
        self.assertEqual(rep['system']['iommus'][0]['ias_bits'], 36)
        devs = {d['name']: d['iommu'] for d in rep['system']['devices']}
        self.assertEqual(devs, {'eth0': 'iommu-a', 'nvme0': 'iommu-a', 'dpu0': 'iommu-a',
                                'audio0': None})
        # No IOTLB: every device access walks the tables.
        smmu = rep['iommus'][0]
        self.assertEqual(smmu['iotlb_hits'], 0)
        self.assertGreater(smmu['walks'], 0)


class TestPciDevices(unittest.TestCase):
    """bus = pci: a PCI device below a host bridge behind an IOMMU gets no IOMMU
    DMA ops (arm64 of 2015), and the report says so."""

    CONFIG = 'pci-smmu.ini'
    PCI_LINE = (r'device 0000:01:00\.0 +\(none\) +direct DMA, 64-bit mask, coherent, PCI: '
                r'host bridge behind smmu0, yet default DMA ops \(arm64 of 2015 gives PCI '
                r'devices no IOMMU DMA ops\)')

    def config(self):
        return os.path.join(ARGS.configs, self.CONFIG)

    def test_scenario_runs_with_pci_devices_and_the_report_says_so(self):
        code, out, err = run('--config', self.config())
        self.assertEqual(code, 0, err)
        self.assertRegex(out, self.PCI_LINE)
        # A host bridge behind no IOMMU: just PCI.
        self.assertRegex(out, r'device 0000:02:00\.0 +\(none\) +direct DMA, 40-bit mask, '
                              r'non-coherent, PCI\n')
        # Platform devices are reported as before.
        self.assertRegex(out, r'device eth0 +smmu0 +IOMMU DMA ops, 40-bit mask, coherent\n')
        self.assertIn('library WARNs 0; live simulated objects after teardown 0', out)

    def test_json_says_bus_and_host_bridge_iommu(self):
        code, out, err = run('--config', self.config(), '--json')
        self.assertEqual(code, 0, err)
        devs = {d['name']: d for d in json.loads(out)['system']['devices']}
        self.assertEqual(devs['0000:01:00.0'],
                         {'name': '0000:01:00.0', 'iommu': None, 'bus': 'pci',
                          'host_bridge_iommu': 'smmu0', 'uses_iommu': False, 'coherent': True,
                          'dma_mask_bits': 64})
        self.assertEqual(devs['0000:02:00.0']['bus'], 'pci')
        self.assertIsNone(devs['0000:02:00.0']['host_bridge_iommu'])
        for name in ('eth0', 'nvme0', 'dpu0', 'audio0'):
            self.assertEqual(devs[name]['bus'], 'platform', name)
            self.assertNotIn('host_bridge_iommu', devs[name], name)
        self.assertTrue(devs['eth0']['uses_iommu'])

    def test_replay_on_a_pci_device_maps_without_the_iommu(self):
        # net-rxtx.trace.txt's only device is 0000:01:00.0: as a PCI device its
        # mappings bypass smmu0, which maps nothing; as a platform device behind
        # smmu0 (the same file without bus = pci) they go through it.
        with open(self.config()) as f:
            text = f.read()
        self.assertIn('\nbus = pci\n', text)
        with tempfile.TemporaryDirectory() as tmp:
            platform = os.path.join(tmp, 'platform.ini')
            with open(platform, 'w') as f:
                f.write(text.replace('\nbus = pci\n', '\n', 1))
            reps = {}
            for name, config in (('pci', self.config()), ('platform', platform)):
                rep, _ = replay_json(trace('net-rxtx.trace.txt'), '--config', config)
                self.assertEqual(rep['replay']['replayed'], 14, name)
                self.assertEqual(rep['replay']['failed_in_simulation'], 0, name)
                self.assertEqual(rep['data_errors'], 0, name)
                self.assertEqual(rep['warnings'], 0, name)
                self.assertEqual(rep['dma_debug']['total'], 0, name)
                self.assertEqual(rep['live_objects_at_exit'], 0, name)
                self.assertGreater(ops(rep)['map_page'], 0, name)
                self.assertGreater(ops(rep)['device_read'], 0, name)
                reps[name] = rep
            dev = {d['name']: d for d in reps['pci']['system']['devices']}['0000:01:00.0']
            self.assertEqual((dev['bus'], dev['host_bridge_iommu'], dev['iommu'],
                              dev['uses_iommu']), ('pci', 'smmu0', None, False))
            smmu = reps['pci']['iommus'][0]
            self.assertEqual((smmu['map_calls'], smmu['unmap_calls'], smmu['walks'],
                              smmu['faults']), (0, 0, 0, 0))
            dev = {d['name']: d for d in reps['platform']['system']['devices']}['0000:01:00.0']
            self.assertEqual((dev['bus'], dev['iommu'], dev['uses_iommu']),
                             ('platform', 'smmu0', True))
            self.assertGreater(reps['platform']['iommus'][0]['map_calls'], 0)
            self.assertGreater(reps['platform']['iommus'][0]['walks'], 0)
        code, out, err = run('replay', trace('net-rxtx.trace.txt'), '--config', self.config())
        self.assertEqual(code, 0, err)
        self.assertRegex(out, self.PCI_LINE)

    def test_bad_pci_name_exits_2_naming_file_and_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'bad-pci.ini')
            with open(path, 'w') as f:
                f.write('[iommu smmu0]\n[device 0000:01:20.0]\niommu = smmu0\nbus = pci\n')
            code, out, err = run('--config', path)
        self.assertEqual(code, 2)
        self.assertEqual(out, '')
        self.assertIn(f'{path}:4: [device 0000:01:20.0] bus = pci: slot 20 is out of range', err)


class TestDefaultScenario(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.code, cls.out, cls.err = run()
        c2, cls.json_out, cls.json_err = run('--json')
        cls.json_code = c2

    def test_exits_0_with_nothing_leaked(self):
        self.assertEqual(self.code, 0, self.err)
        self.assertIn('live simulated objects after teardown 0', self.out)
        self.assertIn('library WARNs 0', self.out)

    def test_report_has_every_section(self):
        for section in ('== system ==', '== operations ==', '== live mappings ==',
                        '== mapping sizes ==', '== IOVA space ==', '== IOMMU ==',
                        '== cache maintenance ==', '== dma-debug findings ==', '== end =='):
            self.assertIn(section, self.out)
        self.assertIn('== dma-debug findings ==\n  none', self.out)

    def test_report_shows_the_soc(self):
        self.assertRegex(self.out, r'device eth0 +smmu0 +IOMMU DMA ops')
        self.assertRegex(self.out, r'device nvme0 +smmu0 +IOMMU DMA ops')
        self.assertRegex(self.out, r'device audio0 +\(none\) +direct DMA, 64-bit mask, non-coherent')

    def test_json_has_the_documented_keys(self):
        self.assertEqual(self.json_code, 0, self.json_err)
        rep = json.loads(self.json_out)
        self.assertEqual(rep['schema'], 'iommudma-sim-report/1')
        for key in ('mode', 'seed', 'system', 'operations', 'operations_total', 'data_errors',
                    'peak', 'live_mappings_at_end', 'mapping_sizes', 'devices', 'iommus',
                    'dma_debug', 'warnings', 'live_objects_at_exit'):
            self.assertIn(key, rep)
        self.assertEqual(rep['mode'], 'scenario')
        self.assertEqual(rep['dma_debug'], {'linked': True, 'total': 0, 'findings': {}})
        for key in ('name', 'page_table_pages_peak', 'page_table_bytes_peak', 'iotlb_hits',
                    'iotlb_misses', 'iotlb_invalidations', 'faults'):
            self.assertIn(key, rep['iommus'][0])
        for dev in rep['devices']:
            self.assertIn('cache', dev)
            self.assertIn('iova_samples', dev)

    def test_numbers_are_plausible(self):
        rep = json.loads(self.json_out)
        ops = rep['operations']
        # Every mapping was undone, every allocation freed.
        self.assertEqual(ops['map_single']['count'], ops['unmap_single']['count'])
        self.assertEqual(ops['map_sg']['count'], ops['unmap_sg']['count'])
        self.assertEqual(ops['alloc_coherent']['count'], ops['free_coherent']['count'])
        self.assertEqual(ops['mmap_coherent']['count'], 1)
        self.assertGreater(ops['sync_single_for_cpu']['count'], 1000)
        self.assertGreater(ops['device_read']['count'], 0)
        self.assertGreater(ops['device_write']['count'], 0)
        self.assertEqual(rep['live_mappings_at_end'], 0)
        self.assertEqual(rep['live_objects_at_exit'], 0)
        self.assertEqual(rep['data_errors'], 0)
        # eth0 keeps a 64-entry rx ring and up to 32 tx buffers mapped.
        eth0 = next(d for d in rep['devices'] if d['name'] == 'eth0')
        self.assertEqual(eth0['peak_mappings'], 96)
        self.assertGreaterEqual(rep['peak']['live_mappings'], 96)
        # The IOMMU walked its tables, had IOTLB hits, invalidated, and never faulted.
        smmu = rep['iommus'][0]
        self.assertGreater(smmu['page_table_pages_peak'], 1)
        # Each table lives in a simulated page of the build's PAGE_SIZE.
        self.assertEqual(smmu['page_table_bytes_peak'],
                         smmu['page_table_pages_peak'] * rep['system']['page_size'])
        self.assertGreater(smmu['iotlb_misses'], 0)
        self.assertGreater(smmu['iotlb_invalidations'], 0)
        self.assertEqual(smmu['faults'], 0)
        # The non-coherent device needed cache maintenance; the coherent ones none.
        audio = next(d for d in rep['devices'] if d['name'] == 'audio0')
        self.assertGreater(audio['cache']['lines_cleaned'], 0)
        self.assertEqual(eth0['cache']['lines_cleaned'], 0)
        # The IOVA space was sampled over time and ends empty.
        samples = eth0['iova_samples']
        self.assertGreater(len(samples), 10)
        self.assertTrue(all(a['op'] <= b['op'] for a, b in zip(samples, samples[1:])))
        self.assertTrue(any(s['free_pfns'] < s['span_pfns'] for s in samples))
        self.assertEqual(samples[-1]['free_pfns'], samples[-1]['span_pfns'])
        # Scatterlists of up to 128 entries: some mappings are big.
        self.assertTrue(any(h['max_bytes'] >= 65536 for h in rep['mapping_sizes']))

    def test_text_and_json_report_the_same_counts(self):
        rep = json.loads(self.json_out)
        m = re.search(r'map_single +(\d+) +(\d+) +(\d+)', self.out)
        self.assertIsNotNone(m)
        self.assertEqual(int(m.group(1)), rep['operations']['map_single']['count'])
        self.assertEqual(int(m.group(3)), rep['operations']['map_single']['bytes'])

    def test_same_seed_same_run_other_seed_other_run(self):
        strip = lambda r: {k: v['count'] for k, v in r['operations'].items()}
        a = json.loads(run('--json', '--seed', '7')[1])
        b = json.loads(run('--json', '--seed', '7')[1])
        c = json.loads(run('--json', '--seed', '8')[1])
        self.assertEqual(strip(a), strip(b))
        self.assertEqual(a['mapping_sizes'], b['mapping_sizes'])
        self.assertNotEqual(a['mapping_sizes'], c['mapping_sizes'])

    def test_output_and_svg_files_are_written(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, 'report.json')
            svg = os.path.join(tmp, 'svg')
            code, stdout, err = run('--json', '--output', out, '--svg', svg)
            self.assertEqual(code, 0, err)
            self.assertEqual(stdout, '')
            with open(out) as f:
                self.assertEqual(json.load(f)['mode'], 'scenario')
            for name, marker in (('iova-space.svg', '<polyline'), ('mapping-sizes.svg', '<rect x=')):
                with open(os.path.join(svg, name)) as f:
                    text = f.read()
                self.assertTrue(text.startswith('<svg'))
                ET.fromstring(text)  # well-formed XML
                self.assertIn(marker, text)
                self.assertTrue(text.rstrip().endswith('</svg>'))


# name: expected replay counts (with the default configuration)
EXPECTED = {
    'net-rxtx.trace.txt': dict(events=14, replayed=14, malformed=0, unknown=3,
                               unmatched_midrun=0, unmatched_driver_bug=0, truncated_sg=0,
                               left_mapped=4, old_names=0),
    'net-rxtx.report.txt': dict(events=14, replayed=14, malformed=0, unknown=3,
                                unmatched_midrun=0, unmatched_driver_bug=0, truncated_sg=0,
                                left_mapped=4, old_names=9),
    'sg-truncated.trace.txt': dict(events=13, replayed=10, failed_in_trace=3, malformed=0,
                                   unmatched_midrun=0, truncated_sg=1, truncated_entries=72,
                                   truncated_segments=72, left_mapped=0),
    'sg-612.report.txt': dict(events=2, replayed=2, malformed=0, truncated_sg=0, left_mapped=0),
    'midrun.trace.txt': dict(events=4, replayed=2, unmatched_midrun=2, unmatched_driver_bug=0,
                             lost_events=3, left_mapped=0),
    'malformed.trace.txt': dict(events=2, malformed=9, unknown=1, replayed=2),
    'truncated.trace.txt': dict(events=1, malformed=1, replayed=1, no_final_newline=True,
                                left_mapped=1),
    # One trace per finding of the replay audit (the tests below check each in detail).
    'sync-on-alloc.trace.txt': dict(events=11, replayed=11, unmatched_midrun=0, left_mapped=0),
    'attrs.trace.txt': dict(events=11, replayed=8, mmio_mappings=1, ignored_attributes=6,
                            unmatched_midrun=0, unmatched_driver_bug=0, left_mapped=0),
    'unmap-sg-list.trace.txt': dict(events=7, replayed=5, unmatched_midrun=1,
                                    unmatched_driver_bug=1, left_mapped=0),
    'sync-after-unmap.trace.txt': dict(events=11, replayed=6, unmatched_midrun=1,
                                       unmatched_driver_bug=4, driver_bugs_replayed=3),
    'size-dir-mismatch.trace.txt': dict(events=12, replayed=12, unmatched_driver_bug=0,
                                        left_mapped=0),
    'many-malformed.trace.txt': dict(events=2, malformed=11, replayed=2),
    'out-of-order.trace.txt': dict(events=4, replayed=3, timestamps_backwards=2,
                                   unmatched_midrun=1, left_mapped=1),
    'cut-value.trace.txt': dict(events=2, malformed=1, replayed=2, no_final_newline=True,
                                left_mapped=0),
    'long-device-names.trace.txt': dict(events=6, replayed=6, unmatched_midrun=0, left_mapped=0),
    'zero-size.trace.txt': dict(events=6, replayed=0, zero_size_mappings=1, mmio_mappings=1,
                                failed_in_trace=1, unmatched_midrun=0, left_mapped=0),
}


class TestReplay(unittest.TestCase):
    def check(self, rep, expected, name):
        for key, want in expected.items():
            self.assertEqual(rep['replay'][key], want, f'{name}: {key}')
        self.assertEqual(rep['mode'], 'replay')
        self.assertEqual(rep['live_objects_at_exit'], 0)
        self.assertEqual(rep['live_mappings_at_end'], 0)

    def test_every_sample_trace_replays_with_its_expected_counts(self):
        for name, expected in EXPECTED.items():
            with self.subTest(trace=name):
                rep, _ = replay_json(trace(name))
                self.check(rep, expected, name)

    def test_every_sample_trace_replays_on_the_sample_config(self):
        config = os.path.join(ARGS.configs, 'soc-smmu.ini')
        for name, expected in EXPECTED.items():
            with self.subTest(trace=name):
                rep, _ = replay_json(trace(name), '--config', config)
                self.check(rep, expected, name)

    def test_config_puts_traced_devices_where_it_says(self):
        rep, _ = replay_json(trace('sg-truncated.trace.txt'), '--config',
                             os.path.join(ARGS.configs, 'soc-smmu.ini'))
        devs = {d['name']: d for d in rep['system']['devices']}
        self.assertEqual(devs['nvme0n1']['dma_mask_bits'], 48)
        self.assertEqual(devs['nvme0n1']['iommu'], 'smmu0')
        # A traced device without a section sits behind default_iommu.
        self.assertEqual(devs['0000:00:06.0']['iommu'], 'smmu0')

    def test_juno_preset_simulates_both_banks(self):
        rep, _ = replay_json(trace('net-rxtx.trace.txt'), '--config',
                             os.path.join(ARGS.configs, 'soc-smmu.ini'))
        self.assertEqual(rep['system']['ram'],
                         {'base': 0x80000000, 'size': 8 << 30,
                          'banks': [{'base': 0x80000000, 'size': 2 << 30},
                                    {'base': 0x880000000, 'size': 6 << 30}]})
        code, out, _ = run('replay', trace('net-rxtx.trace.txt'), '--config',
                           os.path.join(ARGS.configs, 'soc-smmu.ini'))
        self.assertEqual(code, 0)
        self.assertIn('RAM 8192 MiB: 2048 MiB at 0x80000000, 6144 MiB at 0x880000000', out)

    def test_cma_area_is_reserved_at_the_top_of_zone_dma(self):
        # [ram] cma = 64M: rounded up to the allocator's alignment (the largest
        # buddy block: 4M, 32M or 512M with 4K, 16K or 64K pages), at the top
        # of the 2 GiB below 4 GiB.
        rep, _ = replay_json(trace('net-rxtx.trace.txt'), '--config',
                             os.path.join(ARGS.configs, 'soc-smmu.ini'))
        page = rep['system']['page_size']
        block = page << {4096: 10, 16384: 11, 65536: 13}[page]
        size = max(64 << 20, block)
        self.assertEqual(rep['system']['cma'], {'base': (4 << 30) - size, 'size': size})
        self.assertEqual(rep['live_objects_at_exit'], 0)
        code, out, _ = run('replay', trace('net-rxtx.trace.txt'), '--config',
                           os.path.join(ARGS.configs, 'soc-smmu.ini'))
        self.assertEqual(code, 0)
        self.assertIn('CMA default area %d MiB at %#x' % (size >> 20, (4 << 30) - size), out)
        rep, _ = replay_json(trace('net-rxtx.trace.txt'))
        self.assertIsNone(rep['system']['cma'])

    def test_traced_devices_get_the_builtin_iommu_without_config(self):
        rep, _ = replay_json(trace('net-rxtx.trace.txt'))
        self.assertEqual(rep['system']['iommus'][0]['name'], 'smmu0')
        self.assertTrue(rep['system']['devices'][0]['uses_iommu'])
        self.assertGreater(rep['operations']['map_page']['count'], 0)
        self.assertGreater(rep['operations']['alloc_coherent']['count'], 0)

    def test_malformed_lines_are_reported_with_line_numbers_and_replay_goes_on(self):
        path = trace('malformed.trace.txt')
        code, out, err = run('replay', path)
        self.assertEqual(code, 0, err)
        self.assertIn(f'{path}:4: dma_map_phys: unknown direction dir=SIDEWAYS', err)
        self.assertIn(f'{path}:11: no timestamp', err)
        # The ninth malformed line too: every one is printed as it is met.
        self.assertIn(f'{path}:13: dma_sync_single_for_cpu: size=-5 is not a decimal number', err)
        self.assertIn(f'malformed: {path}:9: dma_unmap_phys: dma_addr=zz is not a hex number', out)
        self.assertIn('malformed: 1 more (every one was printed on stderr)', out)
        self.assertIn('unknown event: dma_fence_signaled', out)
        # The good lines on either side of the bad ones were replayed.
        rep, _ = replay_json(path)
        self.assertEqual([e['line'] for e in rep['replay']['errors']], list(range(4, 12)))
        self.assertEqual(rep['operations']['map_page']['count'], 1)
        self.assertEqual(rep['operations']['unmap_page']['count'], 1)

    def test_truncated_file_is_flagged(self):
        path = trace('truncated.trace.txt')
        code, out, err = run('replay', path)
        self.assertEqual(code, 0, err)
        self.assertIn(f'{path}:3: the last line has no newline: it may be cut', err)
        self.assertIn('the file was probably cut', out)

    def test_truncated_sg_list_is_reported(self):
        code, out, _ = run('replay', trace('sg-truncated.trace.txt'))
        self.assertEqual(code, 0)
        self.assertIn('truncated sg lists: 1 (72 scatterlist entries and 72 DMA segments '
                      'not recorded)', out)
        rep, _ = replay_json(trace('sg-truncated.trace.txt'))
        # 128 recorded entries of the 200-entry list were mapped.
        self.assertEqual(rep['operations']['map_sg']['count'], 2)

    def test_midrun_unmaps_are_unmatched_not_bugs(self):
        code, out, _ = run('replay', trace('midrun.trace.txt'))
        self.assertEqual(code, 0)
        self.assertIn('unmatched (trace probably starts mid-run): 2', out)
        self.assertIn('an unmatched unmap may be a dropped map', out)

    def test_double_unmap_and_double_free_are_driver_bugs(self):
        path = os.path.join(CLI_DIR, 'double-unmap.trace.txt')
        rep, _ = replay_json(path)
        r = rep['replay']
        self.assertEqual(r['unmatched_driver_bug'], 3)
        self.assertEqual(r['unmatched_midrun'], 1)
        self.assertIn(f'{path}:10: dma_unmap_phys 0000:01:00.0 0xffeff000: already '
                      'unmapped/freed at line 9', r['driver_bugs'])
        self.assertTrue(any(':13: dma_free' in b for b in r['driver_bugs']))
        self.assertTrue(any(':15: dma_sync_single_for_device' in b for b in r['driver_bugs']))

    def test_one_address_mapped_twice_is_unmapped_twice_before_it_is_a_bug(self):
        # A traced machine without an IOMMU: two live mappings of one address.
        path = os.path.join(CLI_DIR, 'same-address-twice.trace.txt')
        rep, _ = replay_json(path)
        r = rep['replay']
        # Four maps and three matched unmaps; the third unmap of the first
        # pair is the bug; the last pair leaves one mapping.
        self.assertEqual(r['replayed'], 7)
        self.assertEqual(r['unmatched_driver_bug'], 1)
        self.assertEqual(r['unmatched_midrun'], 0)
        self.assertEqual(r['left_mapped'], 1)
        self.assertEqual(r['driver_bugs'], [
            f'{path}:14: dma_unmap_phys 0000:02:00.0 0x1f2c40100: already '
            'unmapped/freed at line 13'])

    def test_driver_bugs_reach_dma_api_debugging(self):
        # The second unmap, the second free and the sync after the unmap are
        # made against the handles the buffers had, as the driver made them:
        # DMA-API debugging reports each.  The mid-run unmap has no buffer in
        # the simulation and is not called.
        rep, _ = replay_json(os.path.join(CLI_DIR, 'double-unmap.trace.txt'))
        self.assertEqual(rep['replay']['driver_bugs_replayed'], 3)
        self.assertEqual(rep['dma_debug']['findings'],
                         {'free_not_allocated': 2, 'sync_not_allocated': 1})
        self.assertEqual(rep['operations']['unmap_page']['count'], 2)
        self.assertEqual(rep['operations']['free_coherent']['count'], 2)
        self.assertEqual(rep['live_mappings_at_end'], 0)
        self.assertEqual(rep['live_objects_at_exit'], 0)

    def test_quiet_silences_the_librarys_warnings_not_the_findings(self):
        path = os.path.join(CLI_DIR, 'double-unmap.trace.txt')
        loud, loud_err = replay_json(path)
        quiet, quiet_err = replay_json(path, '--quiet')
        self.assertIn('WARNING: at', loud_err)
        self.assertIn('DMA-API: device driver tries to free DMA memory', loud_err)
        self.assertNotIn('WARNING', quiet_err)
        self.assertNotIn('DMA-API', quiet_err)
        self.assertEqual(quiet['replay']['driver_bugs_replayed'], 3)
        self.assertEqual(quiet['dma_debug'], loud['dma_debug'])
        self.assertEqual(quiet['warnings'], loud['warnings'])

    def test_midrun_unmaps_reach_no_api_call(self):
        rep, _ = replay_json(trace('midrun.trace.txt'))
        self.assertEqual(rep['replay']['driver_bugs_replayed'], 0)
        self.assertEqual(rep['dma_debug']['total'], 0)

    def test_tracedat_round_trip(self):
        if not ARGS.make_tracedat:
            self.skipTest('built without trace.dat support')
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([ARGS.make_tracedat, 'trace.dat'], cwd=tmp, check=True)
            rep, _ = replay_json(os.path.join(tmp, 'trace.dat'))
        r = rep['replay']
        self.assertEqual(r['events'], 5)
        self.assertEqual(r['by_kind'], {'dma_map_phys': 3, 'dma_map_sg': 2})
        self.assertEqual(r['unknown'], 1)
        self.assertEqual(r['truncated_sg'], 1)
        self.assertEqual(r['truncated_entries'], 72)
        self.assertEqual(r['failed_in_trace'], 1)
        self.assertEqual(r['replayed'], 4)
        self.assertEqual(r['left_mapped'], 4)
        self.assertEqual(rep['live_objects_at_exit'], 0)


def ops(rep):
    """The operations of a report: kind -> count."""
    return {k: v['count'] for k, v in rep['operations'].items()}


def cache(rep, device):
    """A device's cache counters in a report."""
    return next(d['cache'] for d in rep['devices'] if d['name'] == device)


class TestReplayAudit(unittest.TestCase):
    """One test per finding of the replay audit, each on its trace in traces/."""

    def test_1_syncs_on_live_buffers_are_replayed_on_their_handles(self):
        # dma_alloc_pages with single syncs (one at an offset into the buffer),
        # dma_alloc_sgt with sg syncs, a coherent buffer synced at an offset.
        rep, _ = replay_json(trace('sync-on-alloc.trace.txt'))
        r = rep['replay']
        self.assertEqual((r['replayed'], r['unmatched_midrun'], r['unmatched_driver_bug']),
                         (11, 0, 0))
        self.assertEqual(ops(rep)['sync_single_for_device'], 2)
        # for the CPU: the alloc_pages one at +4K, the alloc_sgt one, the coherent one
        self.assertEqual(ops(rep)['sync_single_for_cpu'], 3)
        # the device wrote each range before it went to the CPU
        self.assertEqual(ops(rep)['device_write'], 3)
        self.assertEqual(rep['dma_debug']['total'], 0)
        self.assertEqual(rep['warnings'], 0)

    def test_2_attrs_reach_the_dma_api_mmio_is_not_replayed(self):
        path = trace('attrs.trace.txt')
        rep, _ = replay_json(path)
        r = rep['replay']
        # SKIP_CPU_SYNC: no cache maintenance at map or unmap on the
        # non-coherent device; the same mapping without it is maintained.
        self.assertEqual(cache(rep, '0000:00:06.0')['lines_cleaned'], 0)
        self.assertEqual(cache(rep, '0000:00:06.0')['lines_invalidated'], 0)
        self.assertEqual(cache(rep, '0000:00:07.0')['lines_cleaned'], 1024)
        self.assertEqual(cache(rep, '0000:00:07.0')['lines_invalidated'], 1024)
        # with attributes through dma_map_single_attrs(), without through dma_map_page()
        self.assertEqual(ops(rep)['map_single'], 1)
        self.assertEqual(ops(rep)['unmap_single'], 1)
        self.assertEqual(ops(rep)['map_page'], 1)
        # MMIO: not made, its sync and unmap matched silently
        self.assertEqual(r['mmio_mappings'], 1)
        self.assertEqual((r['unmatched_midrun'], r['unmatched_driver_bug']), (0, 0))
        # NO_WARN, PRIVILEGED and FUTURE_ATTR on the map and the unmap of the list
        self.assertEqual(r['ignored_attributes'], 6)
        self.assertEqual(rep['dma_debug']['total'], 0)
        code, out, _ = run('replay', path, '-q')
        self.assertEqual(code, 0)
        self.assertIn('MMIO mappings, not in the 2015 kernel: 1', out)
        self.assertIn('attributes the 2015 kernel does not have, ignored: 6', out)

    def test_3_unmap_sg_matches_the_whole_list(self):
        path = trace('unmap-sg-list.trace.txt')
        rep, _ = replay_json(path)
        r = rep['replay']
        # The unmap of A leaves B, whose sync and unmap are replayed; an
        # unknown list is unmatched; A unmapped again is a driver bug.
        self.assertEqual(ops(rep)['sync_sg_for_cpu'], 1)
        self.assertEqual(ops(rep)['unmap_sg'], 2)
        self.assertEqual(r['unmatched_midrun'], 1)
        self.assertEqual(r['driver_bugs'], [
            f'{path}:11: dma_unmap_sg 0000:00:06.0 0x3a0000000: already unmapped/freed at line 7'])
        self.assertEqual(r['left_mapped'], 0)

    def test_4_syncs_after_unmap_are_driver_bugs(self):
        path = trace('sync-after-unmap.trace.txt')
        rep, _ = replay_json(path)
        r = rep['replay']
        self.assertEqual(r['driver_bugs'], [
            f'{path}:6: dma_sync_sg_for_cpu 0000:00:06.0 0x10000: already unmapped/freed at line 5',
            f'{path}:9: dma_sync_single_for_cpu 0000:00:06.0 0x20000: already unmapped/freed '
            'at line 8',
            f'{path}:10: dma_sync_single_for_cpu 0000:00:06.0 0x21000: already unmapped/freed '
            'at line 8',
            f'{path}:13: dma_sync_single_for_device 0000:00:06.0 0xfbff1000: already '
            'unmapped/freed at line 12'])
        # only the sync of an address never mapped is mid-run
        self.assertEqual(r['unmatched_midrun'], 1)
        # the single and buffer syncs are made against their old handles (the list is gone)
        self.assertEqual(r['driver_bugs_replayed'], 3)
        self.assertEqual(rep['dma_debug']['findings'], {'sync_not_allocated': 3})

    def test_5_unmaps_and_frees_pass_their_own_size_and_direction(self):
        path = trace('size-dir-mismatch.trace.txt')
        with tempfile.TemporaryDirectory() as tmp:
            configs = {'iommu': None}
            for name, text in (('direct', '[device 0000:00:06.0]\niommu = none\ndma_mask = 64\n'),
                               ('swiotlb', '[ram]\npreset = juno\n[device 0000:00:06.0]\n'
                                           'iommu = none\ndma_mask = 64\n'),
                               ('bounce', '[ram]\npreset = juno\n[device 0000:00:06.0]\n'
                                          'iommu = none\ndma_mask = 32\n[replay]\n'
                                          'relocate = false\n')):
                configs[name] = os.path.join(tmp, name + '.ini')
                with open(configs[name], 'w') as f:
                    f.write(text)
            # Bounced: the same trace at addresses of the juno's upper bank, as they are.
            with open(path) as f:
                text = f.read()
            high = os.path.join(tmp, 'high.trace.txt')
            with open(high, 'w') as f:
                f.write(re.sub(r'(phys_addrs?=\{?(?:0x)?)3([b-e])0000000', r'\g<1>9\g<2>0000000',
                               text))
            for name, config in configs.items():
                with self.subTest(path=name):
                    args = ['--config', config] if config else []
                    rep, _ = replay_json(high if name == 'bounce' else path, *args)
                    self.assertEqual(rep['replay']['replayed'], 12)
                    # a smaller unmap, a free of other bytes of the same pages, an
                    # unmap and an sg unmap in the other direction; the free of
                    # fewer pages and the larger unmap pass the mapping's size.
                    # With pages of 16K or more the 4K free of the 16K buffer
                    # names the same single page, and behind an IOMMU the same
                    # IOVA granule only if the granule is 16K or more: its own
                    # size is then passed too.
                    unit = rep['system']['page_size']
                    if name == 'iommu':
                        unit = min(unit, rep['system']['iommus'][0]['granule'])
                    same_page_free = 1 if unit >= 16384 else 0
                    self.assertEqual(rep['dma_debug']['findings'],
                                     {'free_wrong_size': 2 + same_page_free,
                                      'free_wrong_direction': 2})
                    self.assertEqual(rep['warnings'], 0)
                    self.assertEqual(rep['live_mappings_at_end'], 0)
                    self.assertEqual(rep['live_objects_at_exit'], 0)

    def test_6_every_malformed_line_is_printed_as_met(self):
        path = trace('many-malformed.trace.txt')
        code, out, err = run('replay', path, '-q')
        self.assertEqual(code, 0, err)
        lines = [line for line in err.splitlines() if line.startswith(path + ':')]
        self.assertEqual(lines, [f'{path}:{n}: dma_map_phys: phys_addr=zz{n - 2} is not a hex '
                                 'number' for n in range(3, 14)])
        self.assertIn('malformed: 3 more (every one was printed on stderr)', out)
        rep, _ = replay_json(path, '-q')
        self.assertEqual(len(rep['replay']['errors']), 8)
        self.assertEqual(rep['replay']['malformed'], 11)

    def test_7_timestamps_going_back_are_reported(self):
        path = trace('out-of-order.trace.txt')
        code, out, err = run('replay', path, '-q')
        self.assertEqual(code, 0, err)
        self.assertEqual([line for line in err.splitlines() if line.startswith(path + ':')], [
            f'{path}:6: timestamp goes back from 1402.000002 to 1402.000001',
            # from the unknown event's time; the lost-events line has none
            f'{path}:9: timestamp goes back from 1402.000005 to 1401.000003'])
        self.assertIn('timestamps going back: 2 (replayed in file order)', out)
        rep, _ = replay_json(path, '-q')
        # still replayed in file order: the unmap before its map is mid-run
        self.assertEqual(rep['replay']['timestamps_backwards'], 2)
        self.assertEqual(rep['replay']['unmatched_midrun'], 1)
        self.assertEqual(rep['replay']['left_mapped'], 1)

    def test_8_a_last_line_without_newline_is_not_replayed(self):
        path = trace('cut-value.trace.txt')
        code, out, err = run('replay', path, '-q')
        self.assertEqual(code, 0, err)
        self.assertIn(f'{path}:5: the last line has no newline: it may be cut', err)
        rep, _ = replay_json(path, '-q')
        r = rep['replay']
        self.assertEqual((r['events'], r['malformed'], r['no_final_newline']), (2, 1, True))
        # the cut map (phys_addr=3a9e1) was not made
        self.assertEqual(ops(rep)['map_page'], 1)
        self.assertEqual(r['left_mapped'], 0)

    def test_9_every_traced_device_name_is_its_own_device(self):
        rep, _ = replay_json(trace('long-device-names.trace.txt'))
        names = [d['name'] for d in rep['system']['devices']]
        self.assertEqual(len(names), 3)
        self.assertEqual(len(set(names)), 3)
        for name, end in zip(names, ('ethernet-port0', 'ethernet-port1', 'queue-0123456789')):
            # readable: the start and the end of the traced name
            self.assertTrue(name.startswith('soc@0:bus@300000'), name)
            self.assertTrue(name.endswith(end), name)
            self.assertLessEqual(len(name), 47)
        r = rep['replay']
        self.assertEqual((r['replayed'], r['unmatched_midrun'], r['left_mapped']), (6, 0, 0))
        for d in rep['devices']:
            self.assertEqual(d['peak_mappings'], 1)

    def test_10_zero_size_mappings_are_counted_on_their_own(self):
        path = trace('zero-size.trace.txt')
        rep, _ = replay_json(path)
        r = rep['replay']
        self.assertEqual(r['zero_size_mappings'], 1)
        # only the map to DMA_MAPPING_ERROR failed in the trace; an MMIO
        # mapping of zero bytes is counted as MMIO
        self.assertEqual(r['failed_in_trace'], 1)
        self.assertEqual(r['mmio_mappings'], 1)
        # its sync and unmap are matched silently
        self.assertEqual((r['unmatched_midrun'], r['unmatched_driver_bug']), (0, 0))
        self.assertEqual(rep['operations'], {})
        code, out, _ = run('replay', path, '-q')
        self.assertIn('zero-size mappings, not replayed: 1', out)

    def test_11_truncated_flag_that_contradicts_the_counts_is_malformed(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'flag.trace.txt')
            with open(path, 'w') as f:
                f.write('   kworker/u16:3-88      [003] .....  1402.000003: dma_map_sg: '
                        '0000:00:06.0 dir=TO_DEVICE nents=2/2 ents=2/2 [TRUNCATED] '
                        'dma_addrs={0x10000,0x20000} sizes={0x800,0x1000} '
                        'phys_addrs={0x3a0000000,0x3b0000000} attrs=\n')
            code, _, err = run('replay', path, '--json', '-q')
        self.assertEqual(code, 1)
        self.assertIn(f'{path}:1: dma_map_sg: [TRUNCATED], but nents=2/2 ents=2/2 say nothing '
                      'was cut', err)

    def test_12_no_event_and_malformed_lines_exit_1_an_empty_file_0(self):
        path = trace('not-a-trace.txt')
        code, out, err = run('replay', path, '-q')
        self.assertEqual(code, 1)
        self.assertEqual([line for line in err.splitlines() if 'no dma event' in line], [
            f'iommudma-sim: {path}: no dma event was read (3 malformed lines): not a trace of '
            "the kernel's dma:* events?"])
        self.assertIn('== trace replay', out)
        with tempfile.TemporaryDirectory() as tmp:
            empty = os.path.join(tmp, 'empty.txt')
            open(empty, 'w').close()
            rep, err = replay_json(empty, '-q')
        self.assertEqual(err, '')
        self.assertEqual((rep['replay']['lines'], rep['replay']['events']), (0, 0))


class TestBench(unittest.TestCase):
    FORMAT = [r'dma mapping benchmark: threads:(\d+) seconds:(\d+) node:-1 dir:(\w+) granule: (\d+)',
              r'average map latency\(us\):\d+\.\d standard deviation:\d+\.\d',
              r'average unmap latency\(us\):\d+\.\d standard deviation:\d+\.\d']

    def check(self, out, threads, dir_, granule):
        lines = out.splitlines()
        self.assertTrue(lines[0].startswith('machine: '))
        self.assertTrue(lines[1].startswith('configuration: '))
        m = re.fullmatch(self.FORMAT[0], lines[-3])
        self.assertIsNotNone(m, lines[-3])
        self.assertEqual(m.groups(), (str(threads), '1', dir_, str(granule)))
        self.assertRegex(lines[-2], '^' + self.FORMAT[1] + '$')
        self.assertRegex(lines[-1], '^' + self.FORMAT[2] + '$')

    def test_bench_prints_the_selftest_format(self):
        code, out, err = run('bench', '--seconds', '1', '--threads', '2')
        self.assertEqual(code, 0, err)
        self.check(out, 2, 'BIDIRECTIONAL', 1)
        self.assertIn('behind a simulated SMMU', out)

    def test_bench_loops_stop_each_thread_after_n_pairs(self):
        start = time.monotonic()
        code, out, err = run('bench', '--seconds', '60', '--threads', '2', '--loops', '500')
        self.assertEqual(code, 0, err)
        self.assertLess(time.monotonic() - start, 30)
        self.assertIn('loops: 1000\n', out)
        m = re.fullmatch(self.FORMAT[0], out.splitlines()[-3])
        self.assertEqual(m.groups(), ('2', '60', 'BIDIRECTIONAL', '1'))

    def test_bench_sg_direct_noncoherent(self):
        code, out, err = run('bench', '--seconds', '1', '--sg', '--platform', 'direct',
                             '--noncoherent', '--granule', '4', '--dir', 'TO_DEVICE',
                             '--dma-bits', '40', '--delay-ns', '100')
        self.assertEqual(code, 0, err)
        self.check(out, 1, 'TO_DEVICE', 4)
        self.assertIn('direct DMA (no IOMMU), non-coherent device, dma-bits 40, dma_map_sg', out)

    def test_bench_iova_runs_both_paths_on_each_thread(self):
        code, out, err = run('bench', '--iova', '--seconds', '2', '--threads', '2',
                             '--live', '1000', '--granule', '4', '--smmu-granule', '16K')
        self.assertEqual(code, 0, err)
        self.assertIn('iova domain: granule 16384 bytes, 32-bit space, 1000 live ranges', out)
        fast = re.search(r'iova fast path alloc_iova_fast\+free_iova_fast: threads:2 '
                         r'granule\(s\):4 pairs:(\d+)  [\d.]+ ns/pair per thread  '
                         r'[\d.]+ Mpairs/s in all', out)
        tree = re.search(r'iova tree alloc_iova\+__free_iova: threads:2 granule\(s\):1\.\.4 '
                         r'pairs:(\d+)  [\d.]+ ns/pair per thread  [\d.]+ Mpairs/s in all', out)
        self.assertIsNotNone(fast, out)
        self.assertIsNotNone(tree, out)
        self.assertGreater(int(fast.group(1)), 0)
        self.assertGreater(int(tree.group(1)), 0)

    def test_bench_iova_reports_a_space_too_small_for_the_live_ranges(self):
        # 2^20 live ranges of up to 16 granules (with holes) cannot fit in a
        # 32-bit space of 64K granules: the run fails cleanly.
        code, out, err = run('bench', '--iova', '--seconds', '1', '--live', '1048576',
                             '--smmu-granule', '64K')
        self.assertEqual(code, 1)
        self.assertIn('the IOVA benchmark failed (error -12)', err)
        self.assertNotIn('leaked', err)

    def test_bench_pgtable_counts_the_tables_of_the_range(self):
        code, out, err = run('bench', '--pgtable', '--seconds', '1', '--range-mib', '64')
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r'pgtable map\+unmap: cold [\d.]+ ns/pair, warm [\d.]+ ns/pair')
        m = re.search(r'pgtable range: 64 MiB in 4096-byte pieces: map [\d.]+ ms '
                      r'\([\d.]+ ns/piece\), unmap [\d.]+ ms \([\d.]+ ns/piece\), '
                      r'(\d+) page tables \((\d+) KiB\)', out)
        self.assertIsNotNone(m, out)
        # 64 MiB of 4K pages: 32 last-level tables, one per 2 MiB, plus the
        # levels above them (a 48-bit space: at most 3 more).
        self.assertGreaterEqual(int(m.group(1)), 33)
        self.assertLessEqual(int(m.group(1)), 35)
        # Each table is a page of the build's PAGE_SIZE (at least the 4K granule).
        _, version, _ = run('--version')
        page_size = int(re.search(r'PAGE_SIZE (\d+)', version).group(1))
        self.assertEqual(int(m.group(2)), int(m.group(1)) * max(4, page_size // 1024))


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument('binary')
    p.add_argument('--traces', required=True)
    p.add_argument('--configs', required=True)
    p.add_argument('--make-tracedat', default=None)
    # The benchmarks are the CLI's only threads: ThreadSanitizer runs them alone.
    p.add_argument('--part', choices=('all', 'bench', 'rest'), default='all')
    ARGS, rest = p.parse_known_args()
    ARGS.binary = os.path.abspath(ARGS.binary)
    if ARGS.make_tracedat:
        ARGS.make_tracedat = os.path.abspath(ARGS.make_tracedat)
    if ARGS.part != 'all' and not rest:
        classes = [c for c in globals().values()
                   if isinstance(c, type) and issubclass(c, unittest.TestCase)]
        rest = [c.__name__ for c in classes if (c is TestBench) == (ARGS.part == 'bench')]
    unittest.main(argv=[sys.argv[0], '-v', *rest])


if __name__ == '__main__':
    main()
