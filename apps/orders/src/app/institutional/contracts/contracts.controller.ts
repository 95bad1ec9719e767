import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { CurrentUser, Roles, ZodPipe, type AuthUser } from '@techan/common';
import { z } from 'zod';
import { InstitutionalAccess } from '../access';
import { INSTITUTIONAL_CLOCK, type Clock } from '../institutional.tokens';
import { ContractListQuery, CreateContractBody, TransitionBody, TransitionParam } from './contracts.dto';
import { ContractsService } from './contracts.service';

/** Framework contracts: the operator drafts and runs them; the organisation reads its own. */
@Controller('institutional/contracts')
export class ContractsController {
  constructor(
    @Inject(ContractsService) private readonly service: ContractsService,
    @Inject(InstitutionalAccess) private readonly access: InstitutionalAccess,
    @Inject(INSTITUTIONAL_CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('operator')
  create(@Body(new ZodPipe(CreateContractBody)) body: CreateContractBody, @CurrentUser() user: AuthUser) {
    return this.service.create(body, user, this.clock.now());
  }

  @Get()
  @Roles('operator', 'buyer')
  list(@Query(new ZodPipe(ContractListQuery)) q: z.infer<typeof ContractListQuery>, @CurrentUser() user: AuthUser) {
    const filter = { ...this.access.scope(user, q.orgId), ...(q.status ? { status: q.status } : {}) };
    return this.service.list(filter, q.page, q.pageSize);
  }

  @Get(':id')
  @Roles('operator', 'buyer')
  async get(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.access.own(user, await this.service.get(id), '合同');
  }

  @Post(':id/:command')
  @Roles('operator')
  transition(
    @Param('id') id: string,
    @Param('command', new ZodPipe(TransitionParam)) command: z.infer<typeof TransitionParam>,
    @Body(new ZodPipe(TransitionBody)) body: z.infer<typeof TransitionBody>,
    @CurrentUser() user: AuthUser,
  ) {
    return this.service.transition(id, command, user, this.clock.now(), body.note);
  }
}
