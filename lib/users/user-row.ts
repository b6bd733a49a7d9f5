/** The fields every request may need of its user, read without an ORM round trip. */
export interface UserRow {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  isTenantAdmin: boolean;
  isDeveloper: boolean;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  tenantName: string;
}
