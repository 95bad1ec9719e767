import { Route, Routes } from 'react-router';
import { ConsoleFrame } from '../console/console-frame';
import { ApplicationQueue } from './application-queue';
import { ApplicationReview } from './application-review';
import { CertificatesPage } from './certificates-page';

export default function CertifierArea() {
  return (
    <ConsoleFrame
      title="评定工作台"
      links={[
        { to: '/certifier', label: '认证申请' },
        { to: '/certifier/certificates', label: '证书与警示' },
      ]}
    >
      <Routes>
        <Route index element={<ApplicationQueue />} />
        <Route path="applications/:id" element={<ApplicationReview />} />
        <Route path="certificates" element={<CertificatesPage />} />
      </Routes>
    </ConsoleFrame>
  );
}
