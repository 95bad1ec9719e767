import { ConfigProvider } from 'antd';
import { Navigate, Route, Routes } from 'react-router';
import { ConsoleFrame } from '../console/console-frame';
import { BuyerOrganisation } from './buyer-context';
import { ApprovalsPage, CalendarPage, CallOffPage } from './calendar-pages';
import { ContractPage, ContractsPage } from './contract-pages';
import { HotMealsPage } from './hot-meals-page';
import { SamplesPage } from './samples-page';
import { StatementsPage } from './statements-page';

const LINKS = [
  { to: '/buyer/contracts', label: '框架合同' },
  { to: '/buyer/calendar', label: '配送日历' },
  { to: '/buyer/approvals', label: '待审批' },
  { to: '/buyer/hot-meals', label: '优餐订餐' },
  { to: '/buyer/samples', label: '留样任务' },
  { to: '/buyer/statements', label: '月度对账单' },
];

/** The institutional buyer portal (机团客户: schools, hospitals, agencies …) on the orders service's institutional API. */
export default function BuyerArea() {
  return (
    <ConsoleFrame title="机团采购" links={LINKS}>
      {/* Button labels as written ("下单", not antd's spaced "下 单"), for people and for screen readers alike. */}
      <ConfigProvider button={{ autoInsertSpace: false }}>
        <BuyerOrganisation>
          <Routes>
            <Route index element={<Navigate to="contracts" replace />} />
            <Route path="contracts" element={<ContractsPage />} />
            <Route path="contracts/:id" element={<ContractPage />} />
            <Route path="calendar" element={<CalendarPage />} />
            {/* A call-off lives under the calendar, so the side menu keeps 配送日历 selected. */}
            <Route path="calendar/:id" element={<CallOffPage />} />
            <Route path="approvals" element={<ApprovalsPage />} />
            <Route path="hot-meals" element={<HotMealsPage />} />
            <Route path="samples" element={<SamplesPage />} />
            <Route path="statements" element={<StatementsPage />} />
          </Routes>
        </BuyerOrganisation>
      </ConfigProvider>
    </ConsoleFrame>
  );
}
