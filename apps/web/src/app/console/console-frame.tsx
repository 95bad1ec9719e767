import { App as AntApp, ConfigProvider, Layout, Menu } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router';

export interface ConsoleLink {
  to: string;
  label: string;
}

const theme = {
  token: {
    colorPrimary: '#a4262c',
    fontFamily: 'var(--font-cjk)',
    borderRadius: 6,
  },
};

/**
 * The frame of every console (merchant, certifier, operator, and the other teams'): Ant Design in
 * zh_CN with the house colours, a side menu of the console's pages, and antd's App for messages.
 * Only consoles import this file, so antd stays out of the hall's bundle.
 */
export function ConsoleFrame({ title, links, children }: { title: string; links: ConsoleLink[]; children: ReactNode }) {
  const location = useLocation();
  const selected = [...links].sort((a, b) => b.to.length - a.to.length).find((l) => location.pathname === l.to || location.pathname.startsWith(`${l.to}/`));
  return (
    <ConfigProvider locale={zhCN} theme={theme}>
      <AntApp>
        <Layout className="console">
          <Layout.Sider breakpoint="md" collapsedWidth={0} theme="light" width={200} aria-label={`${title}菜单`}>
            <div className="console-title">{title}</div>
            <Menu
              mode="inline"
              selectedKeys={selected ? [selected.to] : []}
              items={links.map((l) => ({ key: l.to, label: <NavLink to={l.to}>{l.label}</NavLink> }))}
            />
          </Layout.Sider>
          <Layout.Content className="console-content">{children}</Layout.Content>
        </Layout>
      </AntApp>
    </ConfigProvider>
  );
}
