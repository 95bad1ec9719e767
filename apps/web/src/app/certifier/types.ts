/** Shapes of certification's replies that the certifier console reads. */
export interface ApplicationView {
  id: string;
  productId: string;
  merchantId: string;
  status: string;
  target: { scheme: string; level?: number; mark?: string; tier?: string };
  submittedAt: string;
  shortfalls?: { requirement?: unknown; message?: string; code?: string }[];
  sample?: { requestedAt: string; instructions: string; carrier?: string; trackingNumber?: string; mailedAt?: string; receivedAt?: string; receivedBy?: string };
  review?: {
    method: 'online' | 'third_party' | 'expert_on_site';
    reviewerId?: string;
    agency?: string;
    reference?: string;
    inspectorId?: string;
    scheduledFor?: string;
    scheduledAt: string;
    checks?: { check: string; passed: boolean; note?: string }[];
    reviewedAt?: string;
    reviewedBy?: string;
  };
  decision?: { at: string; by: string; approved: boolean; reasons: string[] };
  history: { at: string; from: string | null; to: string; by: string; note?: string }[];
  certificateId?: string;
}

export interface ReviewChecklist {
  label: string;
  reviewMethod: 'online' | 'third_party' | 'expert_on_site';
  reviewMethodName: string;
  requirements: { kind: string; text: string }[];
  checks: { check: string; name: string }[];
  sampleRequired: boolean;
  numberedCertificate: boolean;
  validityMonths: number;
  annualInspectionMonths: number;
}

export interface CertificateView {
  id: string;
  productId: string;
  merchantId: string;
  mark: string;
  level?: number;
  number?: string;
  status: string;
  validFrom: string;
  validUntil: string;
  nextInspectionAt?: string;
  inspectionDeadline?: string;
  graceUntil?: string;
  suspensionReason?: string;
  warnings: { colour: 'yellow' | 'red'; raisedAt: string; reason: string; source: string; clearedAt?: string }[];
}
