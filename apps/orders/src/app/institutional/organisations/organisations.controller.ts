import { Body, Controller, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { CurrentUser, Roles, ZodPipe, type AuthUser } from '@techan/common';
import { z } from 'zod';
import { InstitutionalAccess, OrgMember } from '../access';
import { INSTITUTIONAL_CLOCK, type Clock } from '../institutional.tokens';
import { CreateOrganisationBody, ListQuery, PersonBody, SiteBody } from './organisations.dto';
import { OrganisationsService } from './organisations.service';

/** 机团客户: organisations (registered by the operator), their people and delivery sites. */
@Controller('institutional/organisations')
export class OrganisationsController {
  constructor(
    @Inject(OrganisationsService) private readonly service: OrganisationsService,
    @Inject(InstitutionalAccess) private readonly access: InstitutionalAccess,
    @Inject(INSTITUTIONAL_CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('operator')
  create(@Body(new ZodPipe(CreateOrganisationBody)) body: CreateOrganisationBody, @CurrentUser() user: AuthUser) {
    return this.service.create(body, user, this.clock.now());
  }

  @Get()
  @Roles('operator', 'buyer')
  async list(@Query(new ZodPipe(ListQuery)) q: z.infer<typeof ListQuery>, @CurrentUser() user: AuthUser) {
    const visible = this.access.visibleOrgIds(user);
    return this.service.list(visible === 'all' ? {} : { orgId: { $in: visible } }, q.page, q.pageSize);
  }

  @Get(':orgId')
  @Roles('operator', 'buyer')
  @OrgMember()
  get(@Param('orgId') orgId: string) {
    return this.service.get(orgId);
  }

  @Put(':orgId/people')
  @Roles('operator', 'buyer')
  @OrgMember('buyer_admin')
  person(@Param('orgId') orgId: string, @Body(new ZodPipe(PersonBody)) body: z.infer<typeof PersonBody>) {
    return this.service.upsertPerson(orgId, body);
  }

  @Post(':orgId/sites')
  @Roles('operator', 'buyer')
  @OrgMember('buyer_admin')
  addSite(@Param('orgId') orgId: string, @Body(new ZodPipe(SiteBody)) body: SiteBody) {
    return this.service.addSite(orgId, body, this.clock.now());
  }

  @Get(':orgId/sites')
  @Roles('operator', 'buyer')
  @OrgMember()
  sites(@Param('orgId') orgId: string, @Query(new ZodPipe(ListQuery)) q: z.infer<typeof ListQuery>) {
    return this.service.listSites(orgId, q.page, q.pageSize);
  }
}
