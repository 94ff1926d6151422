/** Connection: discovery, the endpoints and methods the server advertises, and each check's outcome. */
import { useState } from 'react';
import type { ConnectionReport, ServerSummary } from '../../../shared/servers';
import { api, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { utcStamp } from '../../ui/timestamp';
import { ENDPOINT_LABELS } from './labels';
import { useAction } from '../../ui/useAction';

const SOURCE_LABELS: Record<ConnectionReport['source'], string> = {
  'openid-configuration': 'OpenID Connect discovery (/.well-known/openid-configuration)',
  'oauth-authorization-server': 'OAuth 2.0 metadata, RFC 8414 (/.well-known/oauth-authorization-server)',
};

export function ConnectionTab({ server, onTested }: { server: ServerSummary; onTested(): void }) {
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const test = useAction();

  async function run() {
    setReport(null);
    await test.run(async () => {
      setReport(await unwrap(api().servers.test({ id: server.id })));
      onTested();
    });
  }

  const failed = report?.checks.filter((c) => !c.ok).length ?? 0;
  return (
    <div className="tab-body">
      <div className="row">
        <button type="button" className="primary" onClick={() => void run()} disabled={test.busy} aria-busy={test.busy}>
          Test connection
        </button>
        <span role="status" className="muted">
          {test.busy ? `Asking ${server.issuer}…` : server.testedAt ? `Last tested ${utcStamp(server.testedAt)}` : 'Not tested yet'}
        </span>
      </div>
      <ErrorNote message={test.error} />
      {report && (
        <>
          <p className={`verdict ${failed ? 'bad' : 'ok'}`} data-testid="connection-verdict">
            {failed === 0 ? `All ${report.checks.length} checks passed.` : `${failed} of ${report.checks.length} checks failed.`}
          </p>
          <section aria-label="Checks">
            <h3>Checks</h3>
            <table className="table compact">
              <thead>
                <tr>
                  <th scope="col" className="col-check">Check</th>
                  <th scope="col" className="col-result">Result</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {report.checks.map((c) => (
                  <tr key={c.name}>
                    <th scope="row">{c.name}</th>
                    <td className={c.ok ? 'ok' : 'bad'}>{c.ok ? 'OK' : 'Failed'}</td>
                    <td className="wrap-anywhere">{c.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-label="Discovery">
            <h3>Discovery</h3>
            <dl className="facts wide-facts">
              <dt>Issuer</dt>
              <dd className="mono wrap-anywhere">{report.issuer}</dd>
              <dt>Source</dt>
              <dd>{SOURCE_LABELS[report.source]}</dd>
              {Object.entries(report.endpoints).map(([name, url]) => (
                <div key={name} className="contents">
                  <dt>{ENDPOINT_LABELS[name] ?? name}</dt>
                  <dd className={url ? 'mono wrap-anywhere' : 'muted'}>{url ?? 'not advertised'}</dd>
                </div>
              ))}
              <dt>Client authentication</dt>
              <dd className="mono wrap-anywhere">{report.authMethods.length ? report.authMethods.join(' ') : <span className="muted">not advertised</span>}</dd>
              <dt>Grant types</dt>
              <dd className="mono wrap-anywhere">{report.grantTypes.length ? report.grantTypes.join(' ') : <span className="muted">not advertised</span>}</dd>
            </dl>
          </section>
        </>
      )}
      {!report && !test.busy && (
        <dl className="facts wide-facts">
          <dt>Client secret</dt>
          <dd>{server.secretFingerprint ? <code title="Keyed fingerprint: it identifies the secret without revealing it">{server.secretFingerprint}</code> : <span className="muted">none stored</span>}</dd>
          <dt>Added</dt>
          <dd className="mono">{utcStamp(server.createdAt)}</dd>
          <dt>Changed</dt>
          <dd className="mono">{utcStamp(server.updatedAt)}</dd>
        </dl>
      )}
    </div>
  );
}
