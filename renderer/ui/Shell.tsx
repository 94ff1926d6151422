import type { ReactNode } from 'react';

export interface NavItem {
  id: string;
  label: string;
}

interface ShellProps {
  vaultName: string;
  nav: NavItem[];
  current: string;
  onNavigate(id: string): void;
  onLock(): void;
  children: ReactNode;
}

const isMac = navigator.platform.toLowerCase().includes('mac');

export function Shell({ vaultName, nav, current, onNavigate, onLock, children }: ShellProps) {
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-name">CredOps</span>
          <span className="vault-name" title="Open vault">
            {vaultName}
          </span>
        </div>
        <ul>
          {nav.map((item) => (
            <li key={item.id}>
              <button type="button" className="nav-item" aria-current={item.id === current ? 'page' : undefined} onClick={() => onNavigate(item.id)}>
                {item.label}
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="lock-button" onClick={onLock} aria-keyshortcuts={isMac ? 'Meta+L' : 'Control+L'}>
          Lock vault <kbd>{isMac ? '⌘L' : 'Ctrl+L'}</kbd>
        </button>
      </nav>
      <div className="content">{children}</div>
    </div>
  );
}
