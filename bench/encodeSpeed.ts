/**
 * `npm run bench:encode`: how long the batch encoder takes for 10,000 messages with attachments
 * and keyboards, in a plain Node process as n8n runs the node (inside jest's vm sandbox every
 * global lookup costs about twice as much). Target: well under 100 ms of CPU; exits 1 when missed.
 * It runs on its own in .ci/run: beside jest's workers on two cores it measured 109 ms.
 */
import type { IDataObject } from 'n8n-workflow';

import { encodeBatchCommand } from '../nodes/Bitrix24/transport/batchCommand';

const TARGET_CPU_MS = 100;

function calls(): Array<{ method: string; params: IDataObject }> {
	return Array.from({ length: 10_000 }, (_unused, index) => ({
		method: 'im.message.add',
		params: {
			DIALOG_ID: `chat${index}`,
			MESSAGE: `Order #${index} & co: 100% done [b]now[/b]\nПривет 🚀`,
			ATTACH: {
				COLOR_TOKEN: 'primary',
				BLOCKS: [
					{ MESSAGE: `Line ${index}` },
					{
						GRID: [
							{ DISPLAY: 'LINE', NAME: 'Total', VALUE: `${index}.00 €` },
							{ NAME: 'Status', VALUE: 'paid' },
						],
					},
					{ LINK: { LINK: `https://example.com/orders/${index}?a=1&b=2`, NAME: 'Open' } },
				],
			},
			KEYBOARD: { BUTTONS: [{ TEXT: 'Done', ACTION: 'SEND', ACTION_VALUE: `done ${index}` }] },
			URL_PREVIEW: 'N',
		} as IDataObject,
	}));
}

function main(): void {
	const all = calls();
	all.map((call) => encodeBatchCommand(call.method, call.params)); // warm-up: the JIT, not the encoder
	// CPU time, fastest of several runs: other processes stretch wall time without the encoder
	// doing any more work.
	let fastestCpuMs = Number.POSITIVE_INFINITY;
	let fastestWallMs = Number.POSITIVE_INFINITY;
	let totalLength = 0;
	for (let run = 0; run < 10; run++) {
		const wallStarted = performance.now();
		const cpuStarted = process.cpuUsage();
		const commands = all.map((call) => encodeBatchCommand(call.method, call.params));
		const cpu = process.cpuUsage(cpuStarted);
		fastestWallMs = Math.min(fastestWallMs, performance.now() - wallStarted);
		fastestCpuMs = Math.min(fastestCpuMs, (cpu.user + cpu.system) / 1000);
		totalLength = commands.reduce((sum, command) => sum + command.length, 0);
	}
	const met = fastestCpuMs < TARGET_CPU_MS && totalLength > 10_000 * 400;
	console.log(
		`10,000 commands (${totalLength} chars): fastest run ${fastestCpuMs.toFixed(1)} ms CPU, ${fastestWallMs.toFixed(1)} ms wall; target < ${TARGET_CPU_MS} ms CPU: ${met ? 'met' : 'MISSED'}`,
	);
	if (!met) process.exitCode = 1;
}

main();
