import { activateWorkflowArgs } from '../../../scripts/lib/n8nCli';

describe('activateWorkflowArgs', () => {
	it('publishes the workflow on n8n 2.x', () => {
		expect(activateWorkflowArgs('2.41.1', 'wf1')).toEqual(['publish:workflow', '--id=wf1']);
	});

	it('sets the workflow active on n8n 1.x, which has no publish:workflow', () => {
		expect(activateWorkflowArgs('1.123.81', 'wf1')).toEqual(['update:workflow', '--id=wf1', '--active=true']);
	});
});
