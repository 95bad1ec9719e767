import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { DomainError, type AuthUser } from '@techan/common';
import { creditCodeProblem } from '../../../domain/institutional/organisation';
import { INST_ORGANISATION, INST_SITE, type OrganisationDoc, type SiteDoc } from '../../persistence/institutional.schemas';
import type { Page } from '../pagination';
import type { CreateOrganisationBody, SiteBody } from './organisations.dto';
import { z } from 'zod';
import type { PersonBody } from './organisations.dto';

/** Buyer organisations, their people (roles) and their delivery sites. */
@Injectable()
export class OrganisationsService {
  constructor(
    @InjectModel(INST_ORGANISATION) private readonly orgs: Model<OrganisationDoc>,
    @InjectModel(INST_SITE) private readonly sites: Model<SiteDoc>,
  ) {}

  async create(body: CreateOrganisationBody, by: AuthUser, now: Date): Promise<OrganisationDoc> {
    const problem = creditCodeProblem(body.creditCode);
    if (problem) throw new DomainError('VALIDATION', `creditCode: ${problem}`, 400);
    const creditCode = body.creditCode.trim().toUpperCase();
    const doc: OrganisationDoc = {
      _id: body.orgId ?? `org-${randomUUID().slice(0, 12)}`,
      name: body.name,
      type: body.type,
      creditCode,
      people: body.people,
      createdBy: by.userId,
      createdAt: now,
    };
    await this.orgs.create([doc]).catch((e: { code?: number }) => {
      if (e.code === 11000) throw new DomainError('DUPLICATE', 'orgId/creditCode: 该单位（编号或统一社会信用代码）已登记', 409);
      throw e;
    });
    return doc;
  }

  async get(orgId: string): Promise<OrganisationDoc> {
    const org = await this.orgs.findById(orgId).lean<OrganisationDoc>().exec();
    if (!org) throw new NotFoundException('单位不存在');
    return org;
  }

  async list(filter: Record<string, unknown>, page: number, pageSize: number): Promise<Page<OrganisationDoc>> {
    const f = 'orgId' in filter ? { _id: filter['orgId'] } : {};
    const [items, total] = await Promise.all([
      this.orgs.find(f).sort({ _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean<OrganisationDoc[]>().exec(),
      this.orgs.countDocuments(f).exec(),
    ]);
    return { items, page, pageSize, total };
  }

  /** Adds or replaces a person's entry (by userId). */
  async upsertPerson(orgId: string, person: z.infer<typeof PersonBody>): Promise<OrganisationDoc> {
    const org = await this.get(orgId);
    const people = [...org.people.filter((p) => p.userId !== person.userId), person];
    await this.orgs.updateOne({ _id: orgId }, { $set: { people } }).exec();
    return { ...org, people };
  }

  async addSite(orgId: string, body: SiteBody, now: Date): Promise<SiteDoc> {
    await this.get(orgId);
    const doc: SiteDoc = {
      _id: body.siteId ?? `site-${randomUUID().slice(0, 12)}`,
      orgId,
      name: body.name,
      address: body.address,
      contact: body.contact,
      receivingWindows: body.receivingWindows,
      createdAt: now,
    };
    await this.sites.create([doc]).catch((e: { code?: number }) => {
      if (e.code === 11000) throw new DomainError('DUPLICATE', 'siteId: 站点编号已存在', 409);
      throw e;
    });
    return doc;
  }

  async listSites(orgId: string, page: number, pageSize: number): Promise<Page<SiteDoc>> {
    const [items, total] = await Promise.all([
      this.sites.find({ orgId }).sort({ _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean<SiteDoc[]>().exec(),
      this.sites.countDocuments({ orgId }).exec(),
    ]);
    return { items, page, pageSize, total };
  }

  async sitesByIds(ids: string[]): Promise<Map<string, SiteDoc>> {
    const docs = await this.sites.find({ _id: { $in: [...new Set(ids)] } }).lean<SiteDoc[]>().exec();
    return new Map(docs.map((d) => [d._id, d]));
  }
}
